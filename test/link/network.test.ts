import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { beforeEach, describe, expect, it } from 'vitest';
import { renderedAccounts, unpairedLinks } from '../helpers/backend-accounts.js';
import { tempDir } from '../helpers/cli.js';
import { runMain } from '../helpers/in-process.js';

const SPEC = `# the consortium
clusterIssuer: letsencrypt-prod
orchestrator: {host: orchestrator.example.com, tls: true}
channels:
  - {name: shared, members: [ingen, biotechnica, tyrell], modelExport: true}
  - {name: pair, members: [ingen, biotechnica]}
  - {name: ingen-only, members: [ingen], restricted: true}
organizations:
  - {name: ingen, domain: ingen.example.com, users: [{name: admin, channel: shared}]}
  - {name: biotechnica, mspID: BiotechnicaMSP, domain: bio.example.com, users: [{name: admin, channel: pair}]}
  - {name: tyrell, domain: tyrell.example.com, users: [{name: admin}, {name: roy}]}
`;
let dir: string;
const read = (f: string) => parse(readFileSync(path.join(dir, f), 'utf8'));
const network = (...extra: string[]) => runMain(['network', 'network.yaml', '--output-dir', 'out', ...extra], { cwd: dir });

beforeEach(() => {
  dir = tempDir();
  writeFileSync(path.join(dir, 'network.yaml'), SPEC);
  mkdirSync(path.join(dir, 'out'));
});

const channelNames = (values: any) => values.orchestrator.channels.map((c: object) => Object.keys(c)[0]);

describe('network', () => {
  it("creates --output-dir with its parents when it is not there (the README's example), and only to write in it", async () => {
    const dry = await runMain(['network', 'network.yaml', '--output-dir', 'deploy/consortium', '--dry-run'], { cwd: dir });
    expect(dry.stderr).toContain('would create deploy/consortium and write deploy/consortium/ingen-values.yaml');
    expect(existsSync(path.join(dir, 'deploy'))).toBe(false);

    const r = await runMain(['network', 'network.yaml', '--output-dir', 'deploy/consortium'], { cwd: dir });
    expect(r.stderr).toContain('created deploy/consortium and wrote deploy/consortium/ingen-values.yaml');
    expect(r.code).toBe(0);
    expect(read('deploy/consortium/orchestrator-values.yaml').channels).toHaveLength(3);
    expect(read('deploy/consortium/tyrell-values.yaml').organizationName).toBe('tyrell');

    writeFileSync(path.join(dir, 'taken'), '');
    const onFile = await runMain(['network', 'network.yaml', '--output-dir', 'taken'], { cwd: dir });
    expect([onFile.code, onFile.stderr]).toEqual([2, expect.stringContaining('--output-dir taken: is not a folder')]);
  });

  it('gives each organization its channels, users and links, and the orchestrator the members by mspID', async () => {
    const r = await network();
    expect(r.code).toBe(0);
    const ingen = read('out/ingen-values.yaml');
    const bio = read('out/biotechnica-values.yaml');
    const tyrell = read('out/tyrell-values.yaml');
    expect(channelNames(ingen)).toEqual(['shared', 'pair', 'ingen-only']);
    expect(channelNames(bio)).toEqual(['shared', 'pair']);
    expect(channelNames(tyrell)).toEqual(['shared']);
    expect(ingen.orchestrator.channels[2]['ingen-only'].restricted).toBe(true);
    expect(bio.orchestrator.mspID).toBe('BiotechnicaMSP');
    expect(tyrell.addAccountOperator.users.map((u: any) => [u.name, u.channel])).toEqual([['admin', 'shared'], ['roy', 'shared']]);
    expect(read('out/orchestrator-values.yaml').channels).toEqual([
      { name: 'shared', organizations: ['ingen', 'BiotechnicaMSP', 'tyrell'] },
      { name: 'pair', organizations: ['ingen', 'BiotechnicaMSP'] },
      { name: 'ingen-only', organizations: ['ingen'] },
    ]);
    // links pair up across every file, checked by the tool's own peer validation
    const peers = await runMain(['validate', 'out/ingen-values.yaml', '--peers', 'out/biotechnica-values.yaml', 'out/tyrell-values.yaml', '--orchestrator-values', 'out/orchestrator-values.yaml'], { cwd: dir });
    expect(peers.stderr).toBe(`✔ ${path.join(dir, 'out/ingen-values.yaml')} is valid for substra-backend 26.15.3\n`);
    expect(peers.code).toBe(0);
    const incomingNames = ingen.addAccountOperator.incomingOrganizations.map((o: any) => o.name);
    expect(incomingNames).toEqual(['ingen', 'BiotechnicaMSP', 'tyrell']);
    // ...and as the backends' sync Jobs read the Secrets the real helm renders from them
    const orgs = await Promise.all(
      [['ingen', 'ingen'], ['biotechnica', 'BiotechnicaMSP'], ['tyrell', 'tyrell']].map(async ([org, mspID]) => ({
        mspID: mspID as string,
        accounts: await renderedAccounts(path.join(dir, `out/${org}-values.yaml`)),
      })),
    );
    expect(unpairedLinks(orgs)).toEqual([]);
  });

  it('repairs an existing file whose link entries carry a channel, saying so', async () => {
    await network();
    const file = path.join(dir, 'out/tyrell-values.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/(incomingOrganizations:\n\s+- name: .*\n(\s+)secret: .*\n)/, '$1$2channel: shared\n'));
    expect(read('out/tyrell-values.yaml').addAccountOperator.incomingOrganizations[0].channel).toBe('shared');
    const r = await network();
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('tyrell-values.yaml: addAccountOperator.incomingOrganizations[0].channel: removed: a link entry is {name, secret}');
    expect(Object.keys(read('out/tyrell-values.yaml').addAccountOperator.incomingOrganizations[0])).toEqual(['name', 'secret']);
  });

  it('changes nothing when run again on the same spec', async () => {
    await network();
    const before = readFileSync(path.join(dir, 'out/ingen-values.yaml'), 'utf8');
    const again = await network();
    expect(again.stderr).toContain('every file already matches the network file; nothing to write');
    expect(readFileSync(path.join(dir, 'out/ingen-values.yaml'), 'utf8')).toBe(before);
  });

  it('updates the files in place after a spec edit, keeping comments and every password already there', async () => {
    await network();
    const file = path.join(dir, 'out/tyrell-values.yaml');
    writeFileSync(file, `# tyrell's own notes\n${readFileSync(file, 'utf8')}`);
    const roy = read('out/tyrell-values.yaml').addAccountOperator.users.find((u: any) => u.name === 'roy').secret;
    writeFileSync(path.join(dir, 'network.yaml'), SPEC.replace('[{name: admin}, {name: roy}]', '[{name: admin}, {name: roy}, {name: pris}]'));
    expect((await network()).code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith("# tyrell's own notes")).toBe(true);
    const users = read('out/tyrell-values.yaml').addAccountOperator.users;
    expect(users.map((u: any) => u.name)).toEqual(['admin', 'roy', 'pris']);
    expect(users[1].secret).toBe(roy);
  });

  it("refuses to rewrite another organization's file as one of its own (its accounts would be mixed in), naming it, writing nothing", async () => {
    const other = "# wallace's own file\norganizationName: wallace\naddAccountOperator:\n  users:\n    - {name: niander, secret: Vivid-Lantern-Orbit-2026-wallace-x, channel: shared}\n";
    writeFileSync(path.join(dir, 'out/tyrell-values.yaml'), other);
    const r = await network();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('tyrell-values.yaml: organizationName: is "wallace", not "tyrell": it looks like another organization\'s file');
    expect(readFileSync(path.join(dir, 'out/tyrell-values.yaml'), 'utf8')).toBe(other);
    expect(existsSync(path.join(dir, 'out/ingen-values.yaml'))).toBe(false);
  });

  it('keeps a user the network file drops, saying so, and removes it only with --prune', async () => {
    await network();
    writeFileSync(path.join(dir, 'network.yaml'), SPEC.replace('[{name: admin}, {name: roy}]', '[{name: admin}]'));
    const kept = await network();
    expect(kept.stderr).toContain('kept user "roy", which the network file does not name (remove it with --prune)');
    expect(read('out/tyrell-values.yaml').addAccountOperator.users.map((u: any) => u.name)).toEqual(['admin', 'roy']);
    const pruned = await network('--prune');
    expect(pruned.stderr).toContain('removed user "roy", which the network file no longer names: chart 26.15.3 deletes this account at the next upgrade');
    expect(read('out/tyrell-values.yaml').addAccountOperator.users.map((u: any) => u.name)).toEqual(['admin']);
  });

  it('refuses a spec with an unknown member and a shared restricted channel, by path, writing nothing', async () => {
    writeFileSync(
      path.join(dir, 'network.yaml'),
      SPEC.replace('members: [ingen, biotechnica]}', 'members: [ingen, wallace]}').replace('members: [ingen], restricted: true', 'members: [ingen, tyrell], restricted: true'),
    );
    const r = await network();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('network.yaml: channels[1].members[1]: "wallace" is not one of the organizations (ingen, biotechnica, tyrell)');
    expect(r.stderr).toContain('network.yaml: channels[2].restricted: a restricted channel has exactly one member (it has 2)');
    expect(existsSync(path.join(dir, 'out/ingen-values.yaml'))).toBe(false);
  });

  it("calls an unknown key a mistake in the network file (not something the chart ignores) and lists the network file's own keys there", async () => {
    writeFileSync(
      path.join(dir, 'network.yaml'),
      SPEC.replace('orchestrator: {host', 'orchestrator: {tsl: true, host')
        .replace('{name: pair, members', '{name: pair, member: [x], members')
        .replace('{name: roy}', '{name: roy, chanel: shared}')
        .replace('# the consortium', 'chartVersoin: 26.15.3'),
    );
    const r = await runMain(['network', 'network.yaml', '--output-dir', 'out'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      'network.yaml: orchestrator.tsl: unknown key: the network file has no such key (did you mean "tls"?); known keys here: host, port, tls, caCertName, mtls, clientCertSecret, ingressClass, tlsSecret, clusterIssuer',
      'network.yaml: channels[1].member: unknown key: the network file has no such key (did you mean "members"?); known keys here: name, members, restricted, modelExport, chaincode',
      'network.yaml: organizations[2].users[1].chanel: unknown key: the network file has no such key (did you mean "channel"?); known keys here: name, channel',
      'network.yaml: chartVersoin: unknown key: the network file has no such key (did you mean "chartVersion"?); known keys here: chartVersion, clusterIssuer, secretsMode, orchestrator, channels, organizations',
    ]);
    expect(r.stderr).not.toContain('the chart');
  });

  it('writes nothing with --dry-run', async () => {
    const r = await network('--dry-run');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('would write out/ingen-values.yaml');
    expect(existsSync(path.join(dir, 'out/ingen-values.yaml'))).toBe(false);
  });
});

describe('network across a change of secretsMode', () => {
  const accountsIn = (values: any) => {
    const a = values.addAccountOperator;
    return { users: a.users, incoming: a.incomingOrganizations, outgoing: a.outgoingOrganizations };
  };

  it('moves every password and link secret into the credentials files when the network file turns secretsMode: secret on, instead of generating new ones', async () => {
    expect((await network()).code).toBe(0);
    const before = accountsIn(read('out/ingen-values.yaml'));
    writeFileSync(path.join(dir, 'network.yaml'), `${SPEC}secretsMode: secret\n`);
    const r = await network('--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).generated).toEqual([]);
    expect(read('out/ingen-values.yaml').addAccountOperator).toEqual({ existingSecret: 'backend-accounts' });
    expect(accountsIn(read('out/ingen-values.credentials.yaml'))).toEqual(before);
  });

  it('moves the accounts back into the values files when the network file says secretsMode: values, keeping every secret', async () => {
    writeFileSync(path.join(dir, 'network.yaml'), `${SPEC}secretsMode: secret\n`);
    expect((await network()).code).toBe(0);
    const before = accountsIn(read('out/ingen-values.credentials.yaml'));
    writeFileSync(path.join(dir, 'network.yaml'), `${SPEC}secretsMode: values\n`);
    const r = await network('--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).generated).toEqual([]);
    const values = read('out/ingen-values.yaml');
    expect(values.addAccountOperator.existingSecret).toBeUndefined();
    expect(accountsIn(values)).toEqual(before);
    expect(r.stderr).toContain('out/ingen-values.credentials.yaml is not read any more');
  });
});

describe('network that stops before writing', () => {
  it('leaves none of the folders it made for --output-dir, parents included', async () => {
    // a domain of 251 characters passes the network file's rules, but its api. host is too long for the values
    writeFileSync(path.join(dir, 'network.yaml'), SPEC.replace('domain: ingen.example.com', `domain: ${Array(4).fill('a'.repeat(62)).join('.')}`));
    const r = await runMain(['network', 'network.yaml', '--output-dir', 'deploy/consortium/v1'], { cwd: dir });
    expect(r.code).not.toBe(0);
    expect(existsSync(path.join(dir, 'deploy'))).toBe(false);
  });

  it('refuses secretsMode: secret for an older chart by its place in the network file, before making any folder', async () => {
    writeFileSync(path.join(dir, 'network.yaml'), `${SPEC}secretsMode: secret\nchartVersion: 26.6.0\n`);
    const r = await runMain(['network', 'network.yaml', '--output-dir', 'deploy/consortium', '--json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).errors).toEqual([{ message: 'network.yaml: secretsMode: secret needs chart 26.8.0 or later (addAccountOperator.existingSecret); the target is 26.6.0 (chartVersion): raise it, or leave secretsMode out' }]);
    expect(existsSync(path.join(dir, 'deploy'))).toBe(false);
  });
});

describe('network file chartVersion', () => {
  it('is checked as a chart version, by its place in the network file', async () => {
    writeFileSync(path.join(dir, 'network.yaml'), `${SPEC}chartVersion: banana\n`);
    const r = await network('--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).errors).toEqual([{ path: 'network.yaml: chartVersion', message: 'must be a chart version such as 26.15.3 (got "banana")' }]);
  });

  it('refuses a chart before 13.0.0 as --chart-version does, and writes nothing: those charts read another layout', async () => {
    writeFileSync(path.join(dir, 'network.yaml'), `${SPEC}chartVersion: '12.0.0'\n`);
    const r = await network('--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).errors).toEqual([{ path: 'network.yaml: chartVersion', message: expect.stringContaining('charts before 13.0.0 lay out accounts and TLS differently') }]);
    expect(existsSync(path.join(dir, 'out', 'ingen-values.yaml'))).toBe(false);
  });
});

describe('network warnings about the files it writes', () => {
  it("passes on validate's warnings, such as an in-cluster orchestrator that sameCluster: false would cut off", async () => {
    writeFileSync(path.join(dir, 'network.yaml'), SPEC.replace('host: orchestrator.example.com', 'host: orchestrator.org-1'));
    const r = await network('--json');
    expect(r.code).toBe(0);
    const warnings = JSON.parse(r.stdout).warnings as Array<{ path: string; message: string }>;
    expect(warnings).toContainEqual({ path: 'out/ingen-values.yaml: orchestrator.sameCluster', message: expect.stringContaining('looks like an in-cluster Service') });
    expect(r.stderr).toContain('out/tyrell-values.yaml: orchestrator.sameCluster: is false');
  });
});

describe('network file names and members', () => {
  it('refuses two organizations whose files differ only in case: a case-insensitive file system (macOS, Windows) writes one over the other', async () => {
    writeFileSync(
      path.join(dir, 'network.yaml'),
      SPEC.replace('members: [ingen, biotechnica, tyrell]', 'members: [ingen, biotechnica, tyrell, Tyrell]').replace(
        '  - {name: tyrell,',
        '  - {name: Tyrell, mspID: TyrellCorp, domain: tyrell.example.org}\n  - {name: tyrell,',
      ),
    );
    const r = await network('--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).errors).toEqual([
      { path: 'network.yaml: organizations[3].name', message: 'tyrell would write tyrell-values.yaml, which a case-insensitive file system (macOS, Windows) takes for Tyrell-values.yaml, the file of organization Tyrell: give each organization its own file' },
    ]);
    expect(existsSync(path.join(dir, 'out/ingen-values.yaml'))).toBe(false);
  });

  it('refuses a member listed twice in one channel, which the orchestrator would list twice', async () => {
    writeFileSync(path.join(dir, 'network.yaml'), SPEC.replace('members: [ingen, biotechnica]}', 'members: [ingen, biotechnica, ingen]}'));
    const r = await network('--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).errors).toEqual([{ path: 'network.yaml: channels[1].members[2]', message: 'duplicate member "ingen" (also at channels[1].members[0])' }]);
  });
});

describe('network --rotate', () => {
  it('counts the rotated links in its summary, and changes every link secret while keeping the users\' passwords', async () => {
    await network();
    const before = read('out/ingen-values.yaml').addAccountOperator;
    const r = await network('--rotate');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('3 organizations, 9 links (9 rotated): wrote');
    const after = read('out/ingen-values.yaml').addAccountOperator;
    expect(after.users).toEqual(before.users);
    after.incomingOrganizations.forEach((entry: any, i: number) => expect(entry.secret).not.toBe(before.incomingOrganizations[i].secret));
  });
});

describe('network file: in a folder of --output-dir', () => {
  it('makes the folder a file: names, and removes it again when the run writes nothing', async () => {
    const spec = SPEC.replace('{name: ingen, domain: ingen.example.com,', '{name: ingen, domain: ingen.example.com, file: orgs/ingen.yaml,');
    writeFileSync(path.join(dir, 'network.yaml'), spec);
    const dry = await network('--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'out/orgs'))).toBe(false);
    const r = await network();
    expect(r.code, r.stderr).toBe(0);
    expect(read('out/orgs/ingen.yaml').organizationName).toBe('ingen');

    writeFileSync(path.join(dir, 'network.yaml'), spec.replace('file: orgs/ingen.yaml', 'file: more/orgs/ingen.yaml').replace('domain: bio.example.com', `domain: ${Array(4).fill('b'.repeat(62)).join('.')}`));
    const failed = await network();
    expect(failed.code).toBe(1);
    expect(existsSync(path.join(dir, 'out/more'))).toBe(false);
  });
});

describe('network --dry-run in secrets mode', () => {
  it('shows the credentials files it would write into an --output-dir that is not there yet, making nothing', async () => {
    writeFileSync(path.join(dir, 'network.yaml'), `${SPEC}secretsMode: secret\n`);
    const r = await runMain(['network', 'network.yaml', '--output-dir', 'fresh', '--dry-run'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('would create fresh and write fresh/ingen-values.credentials.yaml, fresh/ingen-values.yaml');
    expect(existsSync(path.join(dir, 'fresh'))).toBe(false);
  });
});
