/**
 * What the run has to say if a signal ends it now, beside the note of files written: what a
 * deployment changed in the cluster so far, and with --json the one document stdout owes.
 * Apart from the commands so that main.ts's signal handler reaches it without loading them.
 */
const notes = new Set<() => string | undefined>();
let documentFor: ((message: string) => string | undefined) | undefined;

/** Adds a note for an interruption while `note` is registered; call the result when done. */
export function addInterruptionNote(note: () => string | undefined): () => void {
  notes.add(note);
  return () => notes.delete(note);
}

/** The --json document an interruption prints, given the message of its error. */
export function setInterruptionDocument(document: (message: string) => string | undefined): void {
  documentFor = document;
}

/** The lines to print on an interruption, after the note of files written. */
export function interruptionNotes(): string[] {
  return [...notes].map((note) => note()).filter((line): line is string => Boolean(line));
}

export function interruptionDocument(message: string): string | undefined {
  return documentFor?.(message);
}
