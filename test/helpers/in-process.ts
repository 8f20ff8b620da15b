import { PassThrough } from 'node:stream';
import { main } from '../../src/cli.js';
import type { RunResult } from './cli.js';

/**
 * Runs the CLI's main() in this process, as the bin would but with captured streams: no
 * terminal, no CI variable, stdin a pipe nobody writes (so a prompt would hang, not pass).
 * Passwords are checked in-process (no worker file).
 */
export async function runMain(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<RunResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await main({
    argv: args,
    env: options.env ?? { PATH: process.env.PATH, HOME: process.env.HOME },
    cwd: options.cwd,
    stdin: new PassThrough(),
    stdout,
    stderr,
    version: '0.0.0-test',
  });
  return { code, stdout: out, stderr: err };
}
