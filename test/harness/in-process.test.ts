import { describe, expect, it } from 'vitest';
import { Cancelled } from '../../src/core/errors.js';
import type { Prompter } from '../../src/prompts/prompter.js';
import { tempDir } from '../helpers/cli.js';
import { runMain } from '../helpers/in-process.js';

describe('runMain, the CLI in-process', () => {
  it("counts what main() writes to the process's own streams as output, as a spawned CLI would show it", async () => {
    // Whatever is asked first: write past the injected streams, then stop as Ctrl-C does.
    const stray = (): never => {
      process.stdout.write('to the real stdout\n');
      process.stderr.write('to the real stderr\n');
      throw new Cancelled();
    };
    const prompter: Prompter = { text: stray, confirm: stray, secret: stray, select: stray, checkbox: stray };
    const r = await runMain(['init'], { cwd: tempDir(), tty: true, prompter });
    expect(r.code).toBe(130);
    expect(r.stdout).toContain('to the real stdout');
    expect(r.stderr).toContain('to the real stderr');
  });
});
