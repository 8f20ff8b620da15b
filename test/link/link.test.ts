import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { beforeEach, describe, expect, it } from 'vitest';
import { renderedAccounts, unpairedLinks } from '../helpers/backend-accounts.js';
import { baseEnv, tempDir } from '../helpers/cli.js';
import { runMain } from '../helpers/in-process.js';

let dir: string;

/** Backends sharing channel "shared"; each also has a private channel. */
async function makeBackends(orgs: string[]): Promise<void> {
  dir = tempDir();
  await Promise.all(
    orgs.map(async (org) => {
      const r = await runMain(
        ['init', '--organization', org, '--msp-id', `${org}MSP`, '--host-domain', `${org}.example.com`, '--orchestrator-host', 'orch.example.com',
          '--channel', 'shared', '--channel', `own-${org}`, '--user', 'admin,channel=shared', '--generate-passwords', '-o', `${org}.yaml`],
        { cwd: dir },
      );
      expect(r.code, r.stderr).toBe(0);
    }),
  );
}

const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');

/**
 * Renders every file with the real helm and reads the accounts as the backend's sync Job
 * does: every ordered pair must authenticate. Returns each pair's secret.
 */
async function expectEveryCallAccepted(orgs: string[]): Promise<Map<string, string>> {
  const rendered = await Promise.all(orgs.map(async (o) => ({ org: o, mspID: `${o}MSP`, accounts: await renderedAccounts(path.join(dir, `${o}.yaml`)) })));
  expect(unpairedLinks(rendered)).toEqual([]);
  const secrets = new Map<string, string>();
  for (const caller of rendered) for (const callee of rendered) secrets.set(`${caller.org}->${callee.org}`, caller.accounts.outgoing.get(callee.mspID)!);
  // every ordered pair has a secret of its own
  expect(new Set(secrets.values()).size).toBe(orgs.length * orgs.length);
  return secrets;
}

describe('link, three organizations', () => {
  const ORGS = ['ingen', 'biotechnica', 'tyrell'];
  const files = ORGS.map((o) => `${o}.yaml`);
  const link = (...extra: string[]) => runMain(['link', ...files, ...extra], { cwd: dir });

  beforeEach(async () => {
    await makeBackends(ORGS);
    writeFileSync(path.join(dir, 'ingen.yaml'), `# ingen's backend\n${read('ingen.yaml')}`);
  });

  it('makes every ordered pair authenticate as the backend reads the rendered Secret, self-links included', async () => {
    const r = await link();
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('linked 3 organizations: 9 links created');
    await expectEveryCallAccepted(ORGS);
    expect(read('ingen.yaml').startsWith("# ingen's backend")).toBe(true);
    expect(statSync(path.join(dir, 'ingen.yaml')).mode & 0o777).toBe(0o600);
    for (const file of files) {
      const accounts = parse(read(file)).addAccountOperator;
      for (const entry of [...accounts.incomingOrganizations, ...accounts.outgoingOrganizations]) expect(Object.keys(entry)).toEqual(['name', 'secret']);
    }
  });

  it('changes nothing when run again', async () => {
    await link();
    const before = files.map(read);
    const again = await link();
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('links already match');
    expect(files.map(read)).toEqual(before);
  });

  it('--rotate replaces every secret and keeps the pairing', async () => {
    await link();
    const first = await expectEveryCallAccepted(ORGS);
    expect((await link('--rotate')).code).toBe(0);
    const second = await expectEveryCallAccepted(ORGS);
    for (const [pair, secret] of first) expect(second.get(pair)).not.toBe(secret);
  });

  it('says a rotation has no effect on charts that keep existing secrets (before 26.12.0)', async () => {
    await link();
    const r = await link('--rotate', '--chart-version', '26.11.0');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('chart 26.11.0 keeps the link secret an existing account was created with');
  });

  it('reports a mismatched pair without writing, and mends it with --fix', async () => {
    await link();
    const file = path.join(dir, 'biotechnica.yaml');
    const values = parse(readFileSync(file, 'utf8'));
    const broken = values.addAccountOperator.outgoingOrganizations.find((o: { name: string }) => o.name === 'ingenMSP').secret as string;
    writeFileSync(file, readFileSync(file, 'utf8').replace(broken, 'Tampered-secret-value-0000000000'));
    const snapshot = files.map(read);

    const refused = await link();
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("ingen.yaml: addAccountOperator.incomingOrganizations \"biotechnicaMSP\": secret differs from biotechnica.yaml's outgoing entry \"ingenMSP\"");
    expect(refused.stderr).toContain('nothing was written');
    expect(files.map(read)).toEqual(snapshot);

    const peers = await runMain(['validate', 'ingen.yaml', '--peers', 'biotechnica.yaml', 'tyrell.yaml'], { cwd: dir });
    expect(peers.code).toBe(1);
    expect(peers.stderr).toMatch(/ingen\.yaml: addAccountOperator\.incomingOrganizations\[\d\]\.secret: does not match biotechnica\.yaml: addAccountOperator\.outgoingOrganizations\[\d\]\.secret \(biotechnicaMSP → ingenMSP\)/);

    expect((await link('--fix')).code).toBe(0);
    await expectEveryCallAccepted(ORGS);
    expect((await runMain(['validate', 'ingen.yaml', '--peers', 'biotechnica.yaml', 'tyrell.yaml'], { cwd: dir })).code).toBe(0);
  });

  it('validate --peers names a link missing on one side', async () => {
    const r = await runMain(['validate', 'ingen.yaml', '--peers', 'biotechnica.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ingen.yaml: addAccountOperator.incomingOrganizations: no link ingenMSP with itself');
    expect(r.stderr).toContain('no link biotechnicaMSP → ingenMSP');
  });

  it("repairs files linked the guide's way (a channel on the link entries): validate refuses them, link drops the key and says so", async () => {
    await link();
    const secretsBefore = await expectEveryCallAccepted(ORGS);
    // The guide's "connect organizations" page: a channel on every incoming entry.
    for (const file of files) {
      writeFileSync(path.join(dir, file), read(file).replace(/(incomingOrganizations:\n(?:\s+- name: .*\n\s+secret: .*\n)+)/, (block) => block.replace(/(\n(\s+)secret: .*)/g, '$1\n$2channel: shared')));
    }
    expect(parse(read('ingen.yaml')).addAccountOperator.incomingOrganizations[0].channel).toBe('shared');
    // What the backend makes of it: the id is "MSPID SECRET" and the password the channel name.
    const broken = await renderedAccounts(path.join(dir, 'ingen.yaml'));
    expect([...broken.incoming.values()]).toEqual(['shared', 'shared', 'shared']);

    const refused = await runMain(['validate', 'ingen.yaml'], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('addAccountOperator.incomingOrganizations[0].channel: a link entry names no channel');
    expect(refused.stderr).toContain('will be refused (401)');

    const peers = await runMain(['validate', 'ingen.yaml', '--peers', 'tyrell.yaml'], { cwd: dir });
    expect(peers.code).toBe(1);
    expect(peers.stderr).toContain('tyrell.yaml: addAccountOperator.incomingOrganizations[0].channel: a link entry names no channel');

    const repaired = await link();
    expect(repaired.code).toBe(0);
    expect(repaired.stderr).toContain('ingen.yaml: addAccountOperator.incomingOrganizations[0].channel: removed: a link entry is {name, secret}');
    expect(await expectEveryCallAccepted(ORGS)).toEqual(secretsBefore);
    expect(read('ingen.yaml').startsWith("# ingen's backend")).toBe(true);
    for (const file of files) expect((await runMain(['validate', file], { cwd: dir })).code).toBe(0);
  });

  it('refuses --channel, which used to put a channel on link entries', async () => {
    const before = files.map(read);
    const r = await link('--channel', 'shared');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--channel: link entries name no channel');
    expect(files.map(read)).toEqual(before);
  });

  it('refuses two files with the same mspID', async () => {
    writeFileSync(path.join(dir, 'copy.yaml'), read('ingen.yaml'));
    const r = await runMain(['link', 'ingen.yaml', 'copy.yaml'], { cwd: dir, env: baseEnv() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('two files have mspID ingenMSP: ingen.yaml, copy.yaml');
  });
});

describe('link, five organizations', () => {
  it('makes all 25 ordered pairs authenticate, and a second run changes nothing', async () => {
    const ORGS = ['ingen', 'biotechnica', 'tyrell', 'weyland', 'cyberdyne'];
    await makeBackends(ORGS);
    const files = ORGS.map((o) => `${o}.yaml`);
    const r = await runMain(['link', ...files], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('linked 5 organizations: 25 links created');
    await expectEveryCallAccepted(ORGS);
    const before = files.map(read);
    expect((await runMain(['link', ...files], { cwd: dir })).stderr).toContain('links already match');
    expect(files.map(read)).toEqual(before);
  });
});
