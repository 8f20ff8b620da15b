import { describe, expect, it } from 'vitest';
import { chartProfile } from '../../src/core/chart.js';
import { checkPasswordsInProcess } from '../../src/core/password.js';
import { accountRules } from '../../src/core/rules.js';
import type { Prompter } from '../../src/prompts/prompter.js';
import { askSecret } from '../../src/prompts/wizard.js';

/**
 * A prompter that types each scripted line into a masked prompt as inquirer does: a line the
 * prompt's validate refuses is shown its message and the prompt stays open for the next line.
 */
function typing(lines: Record<string, string[]>): Prompter & { refusals: string[]; asked: string[] } {
  const refusals: string[] = [];
  const asked: string[] = [];
  const take = (message: string) => {
    asked.push(message);
    const queue = lines[message];
    if (!queue?.length) throw new Error(`unexpected question: ${message}`);
    return queue.shift() as string;
  };
  return {
    refusals,
    asked,
    text: async (o) => take(o.message),
    confirm: async (o) => {
      asked.push(o.message);
      throw new Error(`a Y/n question would echo what the operator types next: ${o.message}`);
    },
    secret: async (o) => {
      for (;;) {
        const value = take(o.message);
        const verdict = o.validate ? await o.validate(value) : true;
        if (verdict === true) return value;
        refusals.push(verdict);
      }
    },
    select: async <T>(o: { message: string }) => {
      asked.push(o.message);
      return 'type' as T;
    },
    checkbox: async () => [],
  };
}

const FIRST = 'Vivid-Lantern-Orbit-2026-x';
const SECOND = 'Copper-Meadow-Harbor-2031-q';

describe('typing a password twice', () => {
  it('refuses a repeat that differs in the masked prompt itself (no Y/n question to type the password into)', async () => {
    const prompter = typing({ Password: [FIRST], 'Repeat the password': ['Vivid-Lantern-Orbit-2026-y', FIRST] });
    const answer = await askSecret(prompter, 'users', 'admin', 'prod', checkPasswordsInProcess);
    expect(answer).toEqual({ secret: FIRST, generated: false });
    expect(prompter.refusals).toEqual(['the two passwords differ: type it again, or leave it empty and press Enter to start over']);
    expect(prompter.asked.filter((q) => !q.startsWith('Password') && !q.startsWith('Repeat'))).toEqual([]);
  });

  it('starts over from an empty repeat, and keeps the password typed then', async () => {
    const prompter = typing({ Password: [FIRST, SECOND], 'Repeat the password': ['', SECOND] });
    expect(await askSecret(prompter, 'users', 'admin', 'prod', checkPasswordsInProcess)).toEqual({ secret: SECOND, generated: false });
    expect(prompter.asked).toEqual(['Password for admin', 'Password', 'Repeat the password', 'Password', 'Repeat the password']);
  });
});

describe('a typed secret the chart or the backend would read differently', () => {
  it('is refused in the masked prompt, by the same rules validate applies for the target chart', async () => {
    const oldChart = accountRules(chartProfile('26.11.0'));
    const users = typing({ Password: ['Vivid-Lantern\\Orbit-2026-x', FIRST], 'Repeat the password': [FIRST] });
    expect(await askSecret(users, 'users', 'admin', 'prod', checkPasswordsInProcess, oldChart.users.secret)).toEqual({ secret: FIRST, generated: false });
    expect(users.refusals).toEqual([expect.stringMatching(/^must not contain "\\": chart 26\.11\.0's account Job reads its lines with bash `read` without -r/)]);

    const link = typing({ Secret: ['Zq3wX7eR9tY2uI5oP8aS1dF€', 'Zq3wX7eR9tY2uI5oP8aS1dF'], 'Repeat the secret': ['Zq3wX7eR9tY2uI5oP8aS1dF'] });
    await askSecret(link, 'incoming', 'biotechnica', 'prod', checkPasswordsInProcess, accountRules(chartProfile()).incoming.secret);
    expect(link.refusals).toEqual([expect.stringMatching(/^must use only Latin-1 characters/)]);
  });
});
