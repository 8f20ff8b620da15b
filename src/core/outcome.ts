import type { Issue } from './errors.js';

/** An error as a JSON document carries it: a validation issue keeps its path, a failed step its hint. */
export interface Problem {
  path?: string;
  message: string;
  hint?: string;
}

/** What a command (or one part of it, such as init's deploy) records as it goes. */
export interface OutcomeSink {
  /** adds fields to this part of the document (a later value of the same field wins) */
  set(fields: Record<string, unknown>): void;
  /** warnings of the whole run, in the order they were found */
  warn(...warnings: Issue[]): void;
  /** a part of the document under `key`, e.g. init's `deploy` */
  section(key: string): OutcomeSink;
}

/**
 * What a command did and found, for `--json`. Commands only record; the CLI prints it once, as
 * the single document on stdout, on success and on failure alike (with the errors that stopped
 * the command), so no command can print a second document or forget to print one.
 */
export class Outcome implements OutcomeSink {
  private readonly fields: Record<string, unknown> = {};
  private readonly warnings: Issue[] = [];

  constructor(readonly command: string) {}

  set(fields: Record<string, unknown>): void {
    Object.assign(this.fields, fields);
  }

  warn(...warnings: Issue[]): void {
    this.warnings.push(...warnings);
  }

  section(key: string): OutcomeSink {
    return sectionOf(this.fields, key, this);
  }

  /** `ok` is whether there are no errors; errors and warnings come last, after the command's fields. */
  document(errors: Problem[]): Record<string, unknown> {
    return { command: this.command, ok: errors.length === 0, ...this.fields, errors, warnings: this.warnings };
  }
}

function sectionOf(parent: Record<string, unknown>, key: string, root: Outcome): OutcomeSink {
  const fields: Record<string, unknown> = {};
  parent[key] = fields;
  return {
    set: (more) => Object.assign(fields, more),
    warn: (...warnings) => root.warn(...warnings),
    section: (inner) => sectionOf(fields, inner, root),
  };
}
