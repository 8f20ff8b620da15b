import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { inquirerPrompter } from '../../src/prompts/prompter.js';

/** inquirer's own prompts on fake terminal streams: what the operator would see, keys typed in. */
function fakeTerminal(columns = 80, rows = 24) {
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => input });
  const output = Object.assign(new PassThrough(), { isTTY: true, columns, rows });
  let shown = '';
  output.on('data', (d: Buffer) => (shown += d.toString()));
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  const drawn = async () => {
    while (!shown.includes('?')) await new Promise((resolve) => setTimeout(resolve, 5));
  };
  return {
    prompter: inquirerPrompter({ input, output }),
    type: async (keys: string) => {
      await drawn();
      input.write(keys);
      await settle();
    },
    get shown() {
      return shown;
    },
  };
}

describe('the masked prompt', () => {
  it('never shows the password, even when Ctrl+T (inquirer\'s reveal key) is pressed', async () => {
    const t = fakeTerminal();
    const answer = t.prompter.secret({ message: 'Password' });
    await t.type('Typed-Secret-Value-42');
    await t.type('\u0014');
    await t.type('\r');
    expect(await answer).toBe('Typed-Secret-Value-42');
    expect(t.shown).not.toContain('Typed-Secret');
    expect(t.shown).toContain('*'.repeat(21));
  });
});
