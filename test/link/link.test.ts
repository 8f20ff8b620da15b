import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { beforeEach, describe, expect, it } from 'vitest';
import { baseEnv, FIXTURE_CHART, run, runCli, tempDir, TOOLS } from '../helpers/cli.js';

const ORGS = ['ingen', 'biotechnica', 'tyrell'];
let dir: string;

/** Three backends sharing channel "shared"; each also has a private channel. */
beforeEach(async () => {
  dir = tempDir();
  for (const org of ORGS) {
    const r = await runCli(
      ['init', '--organization', org, '--msp-id', `${org}MSP`, '--host-domain', `${org}.example.com`, '--orchestrator-host', 'orch.example.com',
        '--channel', 'shared', '--channel', `own-${org}`, '--user', 'admin,channel=shared', '--generate-passwords', '-o', `${org}.yaml`],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
  }
  writeFileSync(path.join(dir, 'ingen.yaml'), `# ingen's backend\n${readFileSync(path.join(dir, 'ingen.yaml'), 'utf8')}`);
});

const files = ORGS.map((o) => `${o}.yaml`);
const link = (...extra: string[]) => runCli(['link', ...files, ...extra], { cwd: dir });

/** The add-account Secret lines, as the fixture chart renders them with the real helm. */
async function renderedLinks(org: string): Promise<{ incoming: Map<string, [string, string?]>; outgoing: Map<string, string> }> {
  const r = await run(path.join(TOOLS, 'helm'), ['template', org, FIXTURE_CHART, '--values', path.join(dir, `${org}.yaml`)]);
  expect(r.code).toBe(0);
  const secret = parseAllDocuments(r.stdout).map((d) => d.toJS()).find((o) => o?.kind === 'Secret');
  const lines = (text: string) => text.trim().split('\n').filter(Boolean).map((l) => l.split(' '));
  return {
    incoming: new Map(lines(secret.stringData.incoming_organizations).map(([name, s, channel]) => [name as string, [s as string, channel]])),
    outgoing: new Map(lines(secret.stringData.outgoing_organizations).map(([name, s]) => [name as string, s as string])),
  };
}

async function expectPaired(): Promise<Map<string, string>> {
  const rendered = new Map(await Promise.all(ORGS.map(async (o) => [o, await renderedLinks(o)] as const)));
  const secrets = new Map<string, string>();
  for (const callee of ORGS) {
    for (const caller of ORGS) {
      const incoming = rendered.get(callee)!.incoming.get(`${caller}MSP`);
      const outgoing = rendered.get(caller)!.outgoing.get(`${callee}MSP`);
      expect(incoming, `${callee} incoming ${caller}`).toBeDefined();
      expect(incoming![0]).toBe(outgoing);
      expect(incoming![1]).toBe('shared');
      secrets.set(`${caller}->${callee}`, outgoing!);
    }
  }
  // every ordered pair has a secret of its own
  expect(new Set(secrets.values()).size).toBe(ORGS.length * ORGS.length);
  return secrets;
}

describe('link', () => {
  it('pairs every ordered pair across the files, self-links included, as the real helm renders them', async () => {
    const r = await link();
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('linked 3 organizations: 9 links created');
    await expectPaired();
    const text = readFileSync(path.join(dir, 'ingen.yaml'), 'utf8');
    expect(text.startsWith("# ingen's backend")).toBe(true);
    expect(statSync(path.join(dir, 'ingen.yaml')).mode & 0o777).toBe(0o600);
  });

  it('changes nothing when run again', async () => {
    await link();
    const before = files.map((f) => readFileSync(path.join(dir, f), 'utf8'));
    const again = await link();
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('links already match');
    expect(files.map((f) => readFileSync(path.join(dir, f), 'utf8'))).toEqual(before);
  });

  it('--rotate replaces every secret and keeps the pairing', async () => {
    await link();
    const first = await expectPaired();
    expect((await link('--rotate')).code).toBe(0);
    const second = await expectPaired();
    for (const [pair, secret] of first) expect(second.get(pair)).not.toBe(secret);
  });

  it('reports a mismatched pair without writing, and mends it with --fix', async () => {
    await link();
    const file = path.join(dir, 'biotechnica.yaml');
    const values = parse(readFileSync(file, 'utf8'));
    const broken = values.addAccountOperator.outgoingOrganizations.find((o: { name: string }) => o.name === 'ingenMSP').secret as string;
    writeFileSync(file, readFileSync(file, 'utf8').replace(broken, 'Tampered-secret-value-0000000000'));
    const snapshot = files.map((f) => readFileSync(path.join(dir, f), 'utf8'));

    const refused = await link();
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("ingen.yaml: addAccountOperator.incomingOrganizations \"biotechnicaMSP\": secret differs from biotechnica.yaml's outgoing entry \"ingenMSP\"");
    expect(refused.stderr).toContain('nothing was written');
    expect(files.map((f) => readFileSync(path.join(dir, f), 'utf8'))).toEqual(snapshot);

    const peers = await runCli(['validate', 'ingen.yaml', '--peers', 'biotechnica.yaml', 'tyrell.yaml'], { cwd: dir });
    expect(peers.code).toBe(1);
    expect(peers.stderr).toMatch(/ingen\.yaml: addAccountOperator\.incomingOrganizations\[\d\]\.secret: does not match biotechnica\.yaml: addAccountOperator\.outgoingOrganizations\[\d\]\.secret \(biotechnicaMSP → ingenMSP\)/);

    expect((await link('--fix')).code).toBe(0);
    await expectPaired();
    expect((await runCli(['validate', 'ingen.yaml', '--peers', 'biotechnica.yaml', 'tyrell.yaml'], { cwd: dir })).code).toBe(0);
  });

  it('validate --peers names a link missing on one side', async () => {
    const r = await runCli(['validate', 'ingen.yaml', '--peers', 'biotechnica.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ingen.yaml: addAccountOperator.incomingOrganizations: no link ingenMSP with itself');
    expect(r.stderr).toContain('no link biotechnicaMSP → ingenMSP');
  });

  it('uses --channel for the incoming entries when organizations share several channels', async () => {
    for (const org of ['ingen', 'biotechnica']) {
      expect((await runCli(['init', '--values', `${org}.yaml`, '--channel', 'second'], { cwd: dir })).code).toBe(0);
    }
    expect((await runCli(['link', 'ingen.yaml', 'biotechnica.yaml', '--channel', 'second'], { cwd: dir })).code).toBe(0);
    const ingen = parse(readFileSync(path.join(dir, 'ingen.yaml'), 'utf8'));
    const entry = ingen.addAccountOperator.incomingOrganizations.find((o: { name: string }) => o.name === 'biotechnicaMSP');
    expect(entry.channel).toBe('second');
  });

  it('refuses two files with the same mspID', async () => {
    writeFileSync(path.join(dir, 'copy.yaml'), readFileSync(path.join(dir, 'ingen.yaml')));
    const r = await runCli(['link', 'ingen.yaml', 'copy.yaml'], { cwd: dir, env: baseEnv() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('two files have mspID ingenMSP: ingen.yaml, copy.yaml');
  });
});
