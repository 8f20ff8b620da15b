import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { fixture } from '../helpers/golden.js';
import { runMain, scriptedPrompter } from '../helpers/in-process.js';

/** A file without TLS to the orchestrator, one channel and one user. */
const PLAIN = `organizationName: ingen
config:
  ALLOWED_HOSTS: '[".example.com"]'
server:
  defaultDomain: https://api.example.com:443
  commonHostDomain: example.com
  ingress:
    enabled: true
    hostname: api.example.com
orchestrator:
  host: orchestrator.example.com
  port: 443
  mspID: ingen
  sameCluster: false
  channels:
    - c1:
        restricted: false
        model_export_enabled: false
  tls:
    enabled: false
addAccountOperator:
  users:
    - name: admin
      secret: Vivid-Lantern-Orbit-2026-x
      channel: c1
`;

/** The questions after the summary for a file whose accounts are all kept and none added. */
const keepAccounts = (users: string[], links: string[] = []): Array<[string, unknown]> => [
  ['Add a channel', false],
  ['Keep these users', users],
  ['Add a user', false],
  ...(links.length ? ([['Keep these incoming', links]] as Array<[string, unknown]>) : []),
  ['Add an incoming', false],
  ...(links.length ? ([['Keep these outgoing', links]] as Array<[string, unknown]>) : []),
  ['Add an outgoing', false],
];

/** Picks `setting` in the summary menu, empties it, keeps the accounts, writes, does not deploy. */
const emptyingOne = (setting: string, question: string, accounts: Array<[string, unknown]>): Array<[string, unknown]> => [
  ['values.yaml holds these settings', setting],
  [question, ''],
  ['values.yaml holds these settings', 'done'],
  ...accounts,
  ['Write values.yaml?', true],
  ['Deploy it', false],
];

describe('editing a file from the summary', () => {
  it('a setting switched on there asks what it now needs and the file lacks (TLS: the CA object, mTLS), and writes it', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'values.yaml'), PLAIN);
    const prompter = scriptedPrompter([
      ['values.yaml holds these settings', 'tls'],
      ['Does the orchestrator use TLS', true],
      ['Name of the cluster object holding the orchestrator CA', undefined],
      ['Does the orchestrator require a client certificate', undefined],
      ['values.yaml holds these settings', 'done'],
      ...keepAccounts(['admin']),
      ['Write values.yaml?', true],
      ['Deploy it', false],
    ]);
    const r = await runMain(['init', '--values', 'values.yaml'], { cwd: dir, tty: true, prompter });
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(path.join(dir, 'values.yaml'), 'utf8');
    expect(text).toContain('  tls:\n    enabled: true\n    cacert: orchestrator-cacert\n');
  });

  it('a channel the organization joins is added after the summary, and only its lines are written', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'values.yaml'), PLAIN);
    const prompter = scriptedPrompter([
      ['values.yaml holds these settings', 'done'],
      ['Add a channel', true],
      ['Channel name', 'c2'],
      ['Is "c2" restricted', false],
      ['May users download models trained on "c2"', true],
      ['Add another channel', false],
      ...keepAccounts(['admin']),
      ['Write values.yaml?', true],
      ['Deploy it', false],
    ]);
    const r = await runMain(['init', '--values', 'values.yaml'], { cwd: dir, tty: true, prompter });
    expect(r.code, r.stderr).toBe(0);
    expect(prompter.asked).toContain('Channel name');
    const c1 = '    - c1:\n        restricted: false\n        model_export_enabled: false\n';
    const c2 = '    - c2:\n        restricted: false\n        model_export_enabled: true\n        chaincode:\n          name: mycc\n';
    expect(readFileSync(path.join(dir, 'values.yaml'), 'utf8')).toBe(PLAIN.replace(c1, c1 + c2));
  });

  it('an optional setting emptied there ("empty: none") leaves the file, and the rest of its map stays', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'values.yaml'), fixture('values/realistic.yaml'));
    const prompter = scriptedPrompter(emptyingOne('clusterIssuer', 'cert-manager ClusterIssuer', keepAccounts(['admin', 'analyst'], ['biotechnica'])));
    const r = await runMain(['init', '--values', 'values.yaml'], { cwd: dir, tty: true, prompter });
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(path.join(dir, 'values.yaml'), 'utf8');
    expect(text).not.toContain('cluster-issuer');
    expect(text).toContain('annotations: {kubernetes.io/ingress.class: nginx}');
    // The command for CI says the same.
    expect(r.stderr).toContain('substra-deploy init --non-interactive');
    expect(r.stderr).not.toContain('--cluster-issuer letsencrypt');
  });

  it('the TLS Secret emptied there takes the host out of server.ingress.extraTls', async () => {
    const dir = tempDir();
    const withTls = PLAIN.replace('    hostname: api.example.com\n', '    hostname: api.example.com\n    extraTls:\n      - hosts: [api.example.com]\n        secretName: api-tls\n');
    writeFileSync(path.join(dir, 'values.yaml'), withTls);
    const prompter = scriptedPrompter(emptyingOne('tlsSecret', 'TLS Secret for HTTPS', keepAccounts(['admin'])));
    const r = await runMain(['init', '--values', 'values.yaml'], { cwd: dir, tty: true, prompter });
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(path.join(dir, 'values.yaml'), 'utf8');
    expect(text).not.toContain('api-tls');
    expect(text).toContain('    hostname: api.example.com\n');
  });
});
