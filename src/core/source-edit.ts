import { diff3Merge, diffComm } from 'node-diff3';

/**
 * Writes an edit back over the operator's own text, changing only the lines the edit changed.
 *
 * The yaml library prints a document in its own style (spacing before comments, blank lines,
 * number spellings, quoting, list indentation), so its output differs from most hand-written
 * files even where nothing was edited. `before` is the untouched document printed in that
 * style, `after` the edited one: their difference is exactly the edit, and a line-by-line
 * three-way merge carries it into `original`, leaving every other byte as it was. Where a line
 * the edit touches was spelled differently in the original, the edit's spelling wins for that
 * line only.
 */
export function mergeEdit(original: string, before: string, after: string): string {
  if (before === after) return original;
  const { lines, breaks } = splitLines(original);
  const merged: string[] = [];
  for (const chunk of diff3Merge(lines, before.split('\n'), after.split('\n'), { excludeFalseConflicts: true }) as MergeChunk[]) {
    if (chunk.ok) merged.push(...chunk.ok);
    else merged.push(...resolveConflict(chunk.conflict.a, chunk.conflict.o, chunk.conflict.b));
  }
  return joinLines(merged, lines, breaks);
}

/** The lines of a text and the line break after each (LF, CRLF or a lone CR; none after the last). */
function splitLines(text: string): { lines: string[]; breaks: string[] } {
  const parts = text.split(/(\r\n|\r|\n)/);
  const lines = parts.filter((_, i) => i % 2 === 0);
  const breaks = parts.filter((_, i) => i % 2 === 1);
  breaks.push('');
  return { lines, breaks };
}

/**
 * The merged lines joined with the original's own line breaks: a line kept from the original
 * keeps the break it had (files mixing CRLF and LF stay mixed), a line put in place of one
 * takes that one's, and a new line the break of the line before it.
 */
function joinLines(merged: string[], lines: string[], breaks: string[]): string {
  const counts = new Map<string, number>();
  for (const b of breaks) if (b) counts.set(b, (counts.get(b) ?? 0) + 1);
  let previous = [...counts].sort((x, y) => y[1] - x[1])[0]?.[0] ?? '\n';
  const out: string[] = [];
  let at = 0;
  const emit = (line: string, own: string | undefined) => {
    const lineBreak = own || previous;
    out.push(line, lineBreak);
    previous = lineBreak;
  };
  for (const block of diffComm(lines, merged) as Array<{ common?: string[]; buffer1?: string[]; buffer2?: string[] }>) {
    if (block.common) {
      for (const line of block.common) emit(line, breaks[at++]);
      continue;
    }
    (block.buffer2 ?? []).forEach((line, k) => emit(line, k < (block.buffer1?.length ?? 0) ? breaks[at + k] : undefined));
    at += block.buffer1?.length ?? 0;
  }
  out.pop();
  return out.join('');
}

/** Two spellings of one line: the same but for white space (`{a: 1}` and `{ a: 1 }`, comment spacing). */
const sameLine = (x: string, y: string) => x.replace(/\s+/g, '') === y.replace(/\s+/g, '');

/**
 * A region both the original's spelling and the edit changed. Its outer lines that the edit
 * left alone keep the original's spelling, and blank lines only the original has stay; what
 * is left is the edit's.
 */
function resolveConflict(a: string[], o: string[], b: string[]): string[] {
  const head: string[] = [];
  const tail: string[] = [];
  let [ai, oi, bi] = [0, 0, 0];
  let [aj, oj, bj] = [a.length, o.length, b.length];
  for (;;) {
    if (ai < aj && a[ai]?.trim() === '' && (oi >= oj || o[oi]?.trim() !== '')) head.push(a[ai++] as string);
    else if (ai < aj && oi < oj && bi < bj && o[oi] === b[bi] && sameLine(a[ai] as string, o[oi] as string)) {
      head.push(a[ai++] as string);
      oi += 1;
      bi += 1;
    } else break;
  }
  for (;;) {
    if (aj > ai && a[aj - 1]?.trim() === '' && (oj <= oi || o[oj - 1]?.trim() !== '')) tail.unshift(a[--aj] as string);
    else if (aj > ai && oj > oi && bj > bi && o[oj - 1] === b[bj - 1] && sameLine(a[aj - 1] as string, o[oj - 1] as string)) {
      tail.unshift(a[--aj] as string);
      oj -= 1;
      bj -= 1;
    } else break;
  }
  const core = b.slice(bi, bj);
  // Line for line (a value changed in place): carry the change into the original's spelling.
  if (aj - ai === oj - oi && oj - oi === bj - bi) {
    return [...head, ...core.map((line, k) => patchLine(a[ai + k] as string, o[oi + k] as string, line)), ...tail];
  }
  return [...head, ...core, ...tail];
}

/**
 * `o` → `b` is one change in the middle of a line (a value); `a` is `o` spelled differently
 * (its spacing before a comment, say). Applies the change where `a` has the same text in front
 * of it, so the rest of `a` keeps its spelling; otherwise the edit's line.
 */
function patchLine(a: string, o: string, b: string): string {
  let start = 0;
  while (start < o.length && start < b.length && o[start] === b[start]) start += 1;
  let end = 0;
  while (end < o.length - start && end < b.length - start && o[o.length - 1 - end] === b[b.length - 1 - end]) end += 1;
  const prefix = o.slice(0, start);
  const removed = o.slice(start, o.length - end);
  if (!a.startsWith(prefix) || !a.slice(start).startsWith(removed)) return b;
  const patched = prefix + b.slice(start, b.length - end) + a.slice(start + removed.length);
  return sameLine(patched, b) ? patched : b;
}

type MergeChunk = { ok: string[]; conflict?: undefined } | { ok?: undefined; conflict: { a: string[]; o: string[]; b: string[] } };

/**
 * The lines that change between two texts, as `- old` / `+ new` with one line of context
 * around each change and `…` between distant ones: what a write is about to do.
 */
export function changedLinesView(before: string, after: string, context = 1): string[] {
  const out: string[] = [];
  const blocks = diffComm(before.replace(/\n$/, '').split('\n'), after.replace(/\n$/, '').split('\n')) as Array<{ common?: string[]; buffer1?: string[]; buffer2?: string[] }>;
  blocks.forEach((block, i) => {
    if (block.common) {
      const lines = block.common;
      const lead = i > 0 ? lines.slice(0, context) : [];
      const trail = i < blocks.length - 1 ? lines.slice(Math.max(lead.length, lines.length - context)) : [];
      out.push(...lead.map((l) => `  ${l}`));
      if (lead.length + trail.length < lines.length && i > 0 && i < blocks.length - 1) out.push('  …');
      out.push(...trail.map((l) => `  ${l}`));
      return;
    }
    out.push(...(block.buffer1 ?? []).map((l) => `- ${l}`), ...(block.buffer2 ?? []).map((l) => `+ ${l}`));
  });
  return out;
}
