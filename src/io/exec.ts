import { execa } from 'execa';
import type { Command } from '../core/plan.js';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** the program is not on PATH */
  missing: boolean;
}

/**
 * Every child process goes through here: an argument array, never a shell string, and
 * never a secret among the arguments (secrets travel through files or stdin).
 */
export async function runCommand(
  command: Command,
  options: { timeoutSeconds: number; input?: string; env?: NodeJS.ProcessEnv; signal?: AbortSignal },
): Promise<ExecResult> {
  const result = await execa(command.bin, command.args, {
    reject: false,
    timeout: options.timeoutSeconds * 1000,
    forceKillAfterDelay: 2000,
    input: options.input ?? '',
    env: options.env,
    extendEnv: options.env === undefined,
    stripFinalNewline: false,
    cancelSignal: options.signal,
  });
  const code = (result as { code?: string }).code;
  return {
    exitCode: typeof result.exitCode === 'number' ? result.exitCode : 1,
    stdout: typeof result.stdout === 'string' ? result.stdout : '',
    stderr: typeof result.stderr === 'string' ? result.stderr : '',
    timedOut: Boolean(result.timedOut),
    missing: code === 'ENOENT',
  };
}
