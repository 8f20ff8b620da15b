import { describe, expect, it } from 'vitest';
import { checkPasswordsInProcess } from '../../src/core/password.js';
import { settingFor } from '../../src/core/questions.js';
import { userName } from '../../src/core/rules.js';
import { isSelectLine, type Prompter, type SelectChoice } from '../../src/prompts/prompter.js';
import { askAccounts, askChannels, askScalar } from '../../src/prompts/wizard.js';
import { tempDir } from '../helpers/cli.js';
import { runMain, scriptedPrompter } from '../helpers/in-process.js';

/**
 * A prompter that types each scripted line as inquirer does: a line the prompt's validate
 * refuses is shown its message (recorded) and the prompt stays open for the next line.
 */
function typing(lines: Array<[string, string | boolean]>): Prompter & { refusals: string[] } {
  const refusals: string[] = [];
  const take = (message: string) => {
    const at = lines.findIndex(([start]) => message.startsWith(start));
    if (at === -1) throw new Error(`unexpected question: ${message}`);
    return (lines.splice(at, 1)[0] as [string, string | boolean])[1];
  };
  const typed = async (o: { message: string; default?: string; validate?: (v: string) => string | true | Promise<string | true> }) => {
    for (;;) {
      const line = take(o.message) as string;
      const value = line === '' ? (o.default ?? '') : line;
      const verdict = o.validate ? await o.validate(value) : true;
      if (verdict === true) return value;
      refusals.push(verdict);
    }
  };
  return {
    refusals,
    text: typed,
    secret: typed,
    confirm: async (o) => take(o.message) as boolean,
    select: async <T>(o: { choices: Array<SelectChoice<T>> }) => (o.choices.find((c) => !isSelectLine(c)) as { value: T }).value,
    checkbox: async () => [],
  };
}

describe('what the operator types around an answer', () => {
  it('spaces pasted around a name, a host or a port are dropped, not refused as "spaces"', async () => {
    const p = typing([
      ['Organization name', '  ingen '],
      ['Host domain', ' example.com\t'],
      ['Orchestrator port', ' 8443 '],
    ]);
    expect(await askScalar(p, settingFor('organization'), undefined)).toBe('ingen');
    expect(await askScalar(p, settingFor('hostDomain'), undefined)).toBe('example.com');
    expect(await askScalar(p, settingFor('orchestratorPort'), 443)).toBe(8443);
    expect(p.refusals).toEqual([]);
  });

  it('and around channel and user names', async () => {
    const p = typing([
      ['Channel name', ' our-channel '],
      ['Is "our-channel" restricted', false],
      ['May users download models trained on "our-channel"', false],
      ['Add another channel?', false],
    ]);
    expect(await askChannels(p, [])).toEqual([{ name: 'our-channel', restricted: false, modelExport: false }]);
    const u = typing([
      ['Add a user', true],
      ['User name', 'admin '],
      ['Add another user?', false],
    ]);
    const { accounts } = await askAccounts(u, 'users', [], ['our-channel'], 'prod', checkPasswordsInProcess);
    expect(accounts.map((a) => a.name)).toEqual(['admin']);
    expect(p.refusals.concat(u.refusals)).toEqual([]);
  });

  it('a space inside a name is still refused, with the rule', async () => {
    const p = typing([
      ['Organization name', 'in gen'],
      ['Organization name', 'ingen'],
    ]);
    expect(await askScalar(p, settingFor('organization'), undefined)).toBe('ingen');
    expect(p.refusals).toEqual(['must not contain spaces or other whitespace (the chart splits on them)']);
  });
});

describe('a user name typed in decomposed Unicode (NFD, as macOS file names paste)', () => {
  it('is refused with the name Django would store, not as holding other characters than letters', () => {
    expect(userName('jose\u0301')).toBe(
      'is stored by Django as "jos\u00e9" (it normalizes user names, NFKC), and the sync Job then fails to find the user it created; write "jos\u00e9"',
    );
    expect(userName('jos\u00e9')).toBeUndefined();
  });
});

describe("account names are checked as they are typed, by the target chart's rules", () => {
  it('refuses in place what validate would refuse at the end (a "-" first on chart 26.11.0), and takes what it accepts (a link name with a space)', async () => {
    const refusals: string[] = [];
    const script = scriptedPrompter([
      ['Ingress class', ''],
      ['Largest upload', undefined],
      ['cert-manager ClusterIssuer', 'letsencrypt-prod'],
      ['TLS Secret for HTTPS', undefined],
      ['Hosts the backend answers for', undefined],
      ['Ingress host name', undefined],
      ['URL peers call this backend at', undefined],
      ['Orchestrator port', undefined],
      ['Add a user', true],
      ['User name', '-admin'],
      ['User name', 'admin'],
      ['Password for admin', 'generate'],
      ['Add another user?', false],
      ['Add an incoming organization', true],
      ["The other organization's mspID", 'Tessier Labs'],
      ['Secret for Tessier Labs', 'generate'],
      ['Add another incoming', false],
      ['Add an outgoing organization', false],
      ['Write backend-values.yaml?', true],
      ['The 2 generated secrets', undefined],
      ['Deploy it', false],
    ]);
    const prompter: Prompter = {
      ...script,
      text: async (o) => {
        for (;;) {
          const value = await script.text(o);
          const verdict = o.validate ? o.validate(value) : true;
          if (verdict === true) return value;
          refusals.push(`${o.message}: ${verdict}`);
        }
      },
    };
    const r = await runMain(
      ['init', '--chart-version', '26.11.0', '--organization', 'ingen', '--host-domain', 'example.com', '--orchestrator-host', 'orch.example.com', '--channel', 'c1', '--orchestrator-tls', '--no-mtls', '--ingress', '--subdomain', 'api', '--msp-id', 'ingen', '--no-orchestrator-same-cluster', '--ca-cert-name', 'orchestrator-cacert'],
      { cwd: tempDir(), prompter, tty: true },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(refusals).toEqual([expect.stringMatching(/^User name: must not start with "-": chart 26\.11\.0's account Job passes it to manage\.py as an argument/)]);
  });
});
