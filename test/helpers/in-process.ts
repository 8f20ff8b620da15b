import { PassThrough } from 'node:stream';
import { main } from '../../src/cli.js';
import type { Prompter } from '../../src/prompts/prompter.js';
import type { RunResult } from './cli.js';

/**
 * Runs the CLI's main() in this process, as the bin would but with captured streams: no
 * terminal, no CI variable, stdin a pipe nobody writes (so a prompt would hang, not pass).
 * Passwords are checked in-process (no worker file). `tty: true` makes stdin and stdout look
 * like a terminal: the wizard then asks `prompter`.
 */
export async function runMain(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; prompter?: Prompter; tty?: boolean; onStderr?: (text: string) => void },
): Promise<RunResult> {
  const stdin = Object.assign(new PassThrough(), { isTTY: options.tty ?? false });
  const stdout = Object.assign(new PassThrough(), { isTTY: options.tty ?? false });
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => {
    err += d.toString();
    options.onStderr?.(d.toString());
  });
  const code = await main({
    argv: args,
    env: options.env ?? { PATH: process.env.PATH, HOME: process.env.HOME },
    cwd: options.cwd,
    stdin,
    stdout,
    stderr,
    version: '0.0.0-test',
    prompter: options.prompter,
  });
  return { code, stdout: out, stderr: err };
}

/**
 * A prompter that answers from a script, by the start of each question; unknown questions
 * fail. An answer that is a function is called (to act at that moment) and its result used.
 */
export function scriptedPrompter(answers: Array<[string, unknown]>): Prompter & { asked: string[] } {
  const asked: string[] = [];
  const next = (message: string): unknown => {
    asked.push(message);
    const at = answers.findIndex(([start]) => message.startsWith(start));
    if (at === -1) throw new Error(`unexpected question: ${message}`);
    const [, answer] = answers.splice(at, 1)[0] as [string, unknown];
    if (answer instanceof Error) throw answer;
    return typeof answer === 'function' ? (answer as () => unknown)() : answer;
  };
  return {
    asked,
    text: async (o) => (next(o.message) as string | undefined) ?? o.default ?? '',
    confirm: async (o) => (next(o.message) as boolean | undefined) ?? o.default ?? false,
    secret: async (o) => next(o.message) as string,
    select: async <T>(o: { message: string; default?: T }) => ((next(o.message) as T | undefined) ?? o.default) as T,
    checkbox: async <T>(o: { message: string }) => next(o.message) as T[],
  };
}
