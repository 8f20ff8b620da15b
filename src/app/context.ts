import type { OutcomeSink } from '../core/outcome.js';
import type { Prompter } from '../prompts/prompter.js';
import type { PasswordChecker } from '../core/validate.js';
import type { Term } from '../io/term.js';

/** What every command gets from the CLI edge: no command touches process.* itself. */
export interface CommandContext {
  term: Term;
  env: NodeJS.ProcessEnv;
  cwd: string;
  interactive: boolean;
  /** created on first use, so non-interactive runs never load the prompt library */
  prompter: () => Prompter;
  checkPasswords: PasswordChecker;
  /** what the command did and found: the CLI prints it as the one document of --json */
  outcome: OutcomeSink;
}
