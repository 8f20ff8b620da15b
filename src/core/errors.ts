/** A problem found in the settings, located by its dotted path in the values file. */
export interface Issue {
  path: string;
  message: string;
}

/** Settings that the backend or chart would reject or silently misread. Exit 1. */
export class ValidationError extends Error {
  /** `reported`: the command already printed the issues (with its report). */
  constructor(readonly issues: Issue[], readonly reported = false) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
    this.name = 'ValidationError';
  }
}

/** The command line itself is wrong: unknown flag, bad flag value, missing setting. Exit 2. */
export class UsageError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'UsageError';
  }
}

/** An input file cannot be read or parsed. Exit 2 (the contract's "unreadable"). */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** A helm/kubectl step or a write failed. Exit 1. */
export class StepError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = 'StepError';
  }
}

/** The operator pressed Ctrl-C. Exit 130. */
export class Cancelled extends Error {
  constructor() {
    super('interrupted');
    this.name = 'Cancelled';
  }
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError || error instanceof InputError) return 2;
  if (error instanceof Cancelled) return 130;
  return 1;
}
