import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { renderedAccounts } from '../helpers/backend-accounts.js';
import { GUIDE_ENV, GUIDE_FLAGS, tempDir } from '../helpers/cli.js';
import { fixture } from '../helpers/golden.js';
import { runMain } from '../helpers/in-process.js';

/**
 * Each input the backend, the chart or the orchestrator would break on: exit 1 or 2, one
 * line that names the field and what to do, and no file written or changed.
 */
let dir: string;
const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...GUIDE_ENV };
const init = (...args: string[]) => runMain(args, { cwd: dir, env });

beforeEach(() => {
  dir = tempDir();
});

async function expectRefused(args: string[], code: 1 | 2, reason: string | RegExp, file = 'backend-values.yaml'): Promise<void> {
  const target = path.join(dir, file);
  let before: string | undefined;
  try {
    before = readFileSync(target, 'utf8');
  } catch {
    before = undefined;
  }
  const r = await runMain(args, { cwd: dir, env });
  expect(r.code, r.stderr).toBe(code);
  const reasonLines = r.stderr.split('\n').filter((l) => (typeof reason === 'string' ? l.includes(reason) : reason.test(l)));
  expect(reasonLines, r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  let after: string | undefined;
  try {
    after = readFileSync(target, 'utf8');
  } catch {
    after = undefined;
  }
  expect(after).toBe(before);
}

describe('init refuses what the backend would break on, writing nothing', () => {
  it('a channel on an incoming organization', async () => {
    await expectRefused(
      GUIDE_FLAGS.map((f) => (f === 'biotechnica,secret-env=BIO_IN' ? 'biotechnica,channel=our-channel,secret-env=BIO_IN' : f)),
      2,
      '--incoming "biotechnica,channel=our-channel,secret-env=BIO_IN": a link entry names no channel',
    );
  });

  it('the same name defined twice differently, and a name both given and removed', async () => {
    await expectRefused([...GUIDE_FLAGS, '--channel', 'our-channel,restricted'], 2, '--channel "our-channel,model-export" and --channel "our-channel,restricted" both define "our-channel", differently; give it once');
    await expectRefused([...GUIDE_FLAGS, '--user', 'admin,channel=our-channel,password-env=OTHER'], 2, /--user "admin,channel=our-channel,password-env=ADMIN_PASSWORD" and --user "admin,channel=our-channel,password-env=OTHER" both define "admin"/);
    await expectRefused([...GUIDE_FLAGS, '--remove-user', 'admin'], 2, '--user "admin,channel=our-channel,password-env=ADMIN_PASSWORD" and --remove-user admin both name "admin"; give one');
    // An identical repeat is fine.
    const r = await init(...GUIDE_FLAGS, '--channel', 'our-channel,model-export', '--user', 'admin,channel=our-channel,password-env=ADMIN_PASSWORD');
    expect(r.code, r.stderr).toBe(0);
  });

  it('a password on Django\'s common list, in another letter case', async () => {
    const r = await runMain(GUIDE_FLAGS, { cwd: dir, env: { ...env, ADMIN_PASSWORD: 'Q1W2E3R4T5Y6U7I8O9P0' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("addAccountOperator.users[0].secret: is on Django's common-password list, which the backend checks in any letter case and with spaces trimmed");
    expect(existsSync(path.join(dir, 'backend-values.yaml'))).toBe(false);
  });

  it('an outgoing secret longer than the backend stores, and a channel name past 100 characters', async () => {
    const long = await runMain(GUIDE_FLAGS, { cwd: dir, env: { ...env, BIO_OUT: 'S'.repeat(160) } });
    expect(long.code).toBe(1);
    expect(long.stderr).toContain('addAccountOperator.outgoingOrganizations[0].secret: must be at most 128 characters (it has 160');
    expect(existsSync(path.join(dir, 'backend-values.yaml'))).toBe(false);
    const channel = 'c'.repeat(120);
    await expectRefused(
      [...GUIDE_FLAGS, '--channel', channel],
      2,
      `--channel "${channel}": channel name must be at most 100 characters (it has 120`,
    );
  });

  it('a reserved user name', async () => {
    await expectRefused([...GUIDE_FLAGS, '--user', 'deleted,channel=our-channel', '--generate-passwords'], 2, '"deleted" is reserved');
  });
});

describe('files that cannot be resolved: one line with file:line:column, exit 2, nothing changed', () => {
  const bad = 'organizationName: ingen\norchestrator:\n  host: *missing\n';
  for (const [command, args] of [
    ['validate', ['validate', 'bad.yaml']],
    ['init --values', ['init', '--values', 'bad.yaml', '--organization', 'x']],
    ['link', ['link', 'bad.yaml']],
  ] as const) {
    it(command, async () => {
      writeFileSync(path.join(dir, 'bad.yaml'), bad);
      await expectRefused([...args], 2, 'bad.yaml:3:9: YAML error: alias *missing refers to no anchor &missing set before it', 'bad.yaml');
    });
  }

  it('network, for a spec and for an existing organization file', async () => {
    writeFileSync(path.join(dir, 'spec.yaml'), 'orchestrator: {host: o.example.com}\nchannels: [{name: c, members: [a]}]\norganizations:\n  - &a {name: a, domain: a.example.com}\n  - <<: 5\n');
    await expectRefused(['network', 'spec.yaml'], 2, /spec\.yaml:5:9: YAML error: a merge key \(<<\) must point at a map/, 'spec.yaml');
  });
});

describe('what init derives and warns about', () => {
  it('defaults the port to 9000, the orchestrator Service port, in the same cluster', async () => {
    const r = await init(
      ...GUIDE_FLAGS.map((f) => (f === 'orchestrator.cluster-1.example.com' ? 'orchestrator-server.orchestrator' : f)),
      '--orchestrator-same-cluster',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'backend-values.yaml'), 'utf8')).toMatch(/\n {2}port: 9000\n[\s\S]*\n {2}sameCluster: true\n/);
  });

  it('warns that a changed defaultDomain does not reach the orchestrator once deployed', async () => {
    expect((await init(...GUIDE_FLAGS)).code).toBe(0);
    const r = await init('init', '--values', 'backend-values.yaml', '--subdomain', 'substra');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      'server.defaultDomain: changes from https://api.cluster-1.example.com:443 to https://substra.cluster-1.example.com:443: a deployed backend registered its address with the orchestrator once',
    );
  });
});

describe("files laid out as Substra's own examples", () => {
  it('validate in-cluster layouts and older charts\' keys without a false refusal, and the accounts render as the Job reads them', async () => {
    writeFileSync(path.join(dir, 'in-cluster.yaml'), fixture('values/in-cluster.yaml'));
    writeFileSync(path.join(dir, 'chart-18.yaml'), fixture('values/chart-18.yaml'));
    const inCluster = await runMain(['validate', 'in-cluster.yaml', '--chart-version', '26.15.3'], { cwd: dir, env });
    expect(inCluster.stderr).toBe(`✔ ${path.join(dir, 'in-cluster.yaml')} is valid for substra-backend 26.15.3\n`);
    expect(inCluster.code).toBe(0);
    const old = await runMain(['validate', 'chart-18.yaml', '--chart-version', '18.1.0'], { cwd: dir, env });
    expect(old.code, old.stderr).toBe(0);
    // The same rabbitmq key on a chart that no longer reads it is named.
    expect((await runMain(['validate', 'chart-18.yaml', '--chart-version', '22.0.0'], { cwd: dir, env })).stderr).toContain('orchestrator.rabbitmq: unknown key');
    // A space in the mspID is a space the Job can split around, from 26.6.6 on only.
    expect((await runMain(['validate', 'in-cluster.yaml', '--chart-version', '26.6.5'], { cwd: dir, env })).stderr).toContain('orchestrator.mspID: must not contain spaces');
    const accounts = await renderedAccounts(path.join(dir, 'in-cluster.yaml'));
    expect(accounts.incoming.get('Tessier Labs')).toBe('selfLinkSecret9');
    expect(accounts.outgoing.get('Tessier Labs')).toBe('selfLinkSecret9');
  });
});
