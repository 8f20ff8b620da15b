import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { tempDir } from '../helpers/cli.js';

describe('what a non-interactive run leaves closed', () => {
  it.each([
    ['--non-interactive', ['init', '--non-interactive'], {}],
    ['CI', ['init'], { CI: 'true' }],
  ])('with %s, stdin is never opened (process.stdin costs a stream, and nothing would read it)', async (_, argv, env) => {
    const reads: string[] = [];
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    stdout.resume();
    stderr.resume();
    const code = await main({
      argv,
      env: { PATH: process.env.PATH, ...env },
      cwd: tempDir(),
      get stdin(): NodeJS.ReadableStream & { isTTY?: boolean } {
        reads.push('stdin');
        return new PassThrough();
      },
      stdout,
      stderr,
      version: '0.0.0-test',
    });
    // Nothing was given: a usage error, found without asking.
    expect(code).toBe(2);
    expect(reads).toEqual([]);
  });
});
