import { execa } from 'execa';
import type { Command } from '../core/plan.js';
import { killGroup, trackGroup } from './children.js';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** the program is not on PATH */
  missing: boolean;
}

/** How long a child has after SIGTERM, at a timeout, before SIGKILL. */
const KILL_GRACE_MS = 2000;

/**
 * Every child process goes through here: an argument array, never a shell string, and
 * never a secret among the arguments (secrets travel through files or stdin). Each child
 * leads a process group of its own, and a timeout stops the whole group: a wrapper script
 * around helm that does not `exec` would otherwise keep its child, and our pipes, alive.
 */
export async function runCommand(
  command: Command,
  options: { timeoutSeconds: number; input?: string; env?: NodeJS.ProcessEnv; signal?: AbortSignal },
): Promise<ExecResult> {
  const subprocess = execa(command.bin, command.args, {
    reject: false,
    detached: true,
    input: options.input ?? '',
    env: options.env,
    extendEnv: options.env === undefined,
    stripFinalNewline: false,
    cancelSignal: options.signal,
  });
  const pid = subprocess.pid;
  let timedOut = false;
  let killTimer: NodeJS.Timeout | undefined;
  const timer =
    pid === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          killGroup(pid, 'SIGTERM');
          killTimer = setTimeout(() => killGroup(pid, 'SIGKILL'), KILL_GRACE_MS);
        }, options.timeoutSeconds * 1000);
  const untrack = pid === undefined ? undefined : trackGroup(pid);
  try {
    const result = await subprocess;
    const code = (result as { code?: string }).code;
    return {
      exitCode: typeof result.exitCode === 'number' ? result.exitCode : 1,
      stdout: typeof result.stdout === 'string' ? result.stdout : '',
      stderr: typeof result.stderr === 'string' ? result.stderr : '',
      timedOut,
      missing: code === 'ENOENT',
    };
  } finally {
    clearTimeout(timer);
    clearTimeout(killTimer);
    untrack?.();
    if (pid !== undefined) {
      // What the child left running in its group (a backgrounded helper) goes with it.
      if (timedOut) killGroup(pid, 'SIGKILL');
    }
  }
}
