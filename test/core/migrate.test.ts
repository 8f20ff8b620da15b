import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { renderedAccounts } from '../helpers/backend-accounts.js';
import { tempDir } from '../helpers/cli.js';
import { fixture } from '../helpers/golden.js';
import { runMain } from '../helpers/in-process.js';

const env = { PATH: process.env.PATH, HOME: process.env.HOME };

async function migrated(name: string, from: string, ...extra: string[]) {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'v.yaml'), fixture(`values/${name}`));
  const r = await runMain(['migrate', 'v.yaml', '--from', from, ...extra], { cwd: dir, env });
  return { dir, r, text: readFileSync(path.join(dir, 'v.yaml'), 'utf8') };
}

describe('migrate', () => {
  it('carries a 13.x file to the newest chart: every rewrite named with its version, comments kept, valid and renderable', async () => {
    const { dir, r, text } = await migrated('chart-13.yaml', '13.0.1', '--json');
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.rewrites.map((w: { version: string; change: string }) => `${w.version} ${w.change}`)).toEqual([
      '13.0.6 copied server.persistence.storageClass to server.persistence.servermedias.storageClass',
      '14.0.0 removed server.persistence.algos',
      '18.0.0 copied postgresql.postgresqlPassword to postgresql.auth.postgresPassword',
      '18.0.0 postgresql.postgresqlUsername → postgresql.auth.username',
      '18.0.0 postgresql.postgresqlPassword → postgresql.auth.password',
      '18.0.0 postgresql.postgresqlDatabase → postgresql.auth.database',
      '18.0.0 postgresql.persistence → postgresql.primary.persistence',
      '18.1.0 addAccountOperator.incomingNodes → addAccountOperator.incomingOrganizations',
      '18.1.0 addAccountOperator.outgoingNodes → addAccountOperator.outgoingOrganizations',
      '19.0.0 server.image.pullSecrets: each name becomes {name: …}',
      '19.0.0 events.image.pullSecrets: each name becomes {name: …}',
      '21.1.0 removed orchestrator.rabbitmq',
      '22.0.0 rabbitmq.auth.password → redis.auth.password',
      '22.0.0 removed rabbitmq',
      '22.1.0 copied events to api.events',
      '22.1.0 events → worker.events',
      '22.1.3 server.ingressClassName → server.ingress.ingressClassName',
      '22.5.0 copied postgresql.auth.username to database.auth.username',
      '22.5.0 copied postgresql.auth.password to database.auth.password',
      '22.5.0 copied postgresql.auth.database to database.auth.database',
      '26.6.2 orchestrator.sameCluster: true written (the old default)',
    ]);
    const v = parse(text);
    expect(v.addAccountOperator.incomingOrganizations).toEqual([{ name: 'MollyMSP', secret: 'selfSecretMolly' }]);
    expect(v.server.image.pullSecrets).toEqual([{ name: 'regcred' }]);
    expect(v.worker.events.nodeSelector).toEqual({ pool: 'events' });
    expect(v.api.events.nodeSelector).toEqual({ pool: 'events' });
    expect(v.rabbitmq).toBeUndefined();
    expect(v.orchestrator.sameCluster).toBe(true);
    expect(text).toContain("# Molly's backend, written for chart 13.x and never touched since.");
    expect(text).toMatch(/- name: regcred +# registry credentials\n/);
    // The runbook: the cluster steps of the versions crossed, in order.
    expect(report.runbook.map((s: { version: string }) => s.version)).toEqual(['18.0.0', '22.0.0', '22.2.0', '23.0.0', '24.3.0', '26.0.0', '26.6.8', '26.10.2', '26.12.0']);
    expect(r.stderr).toContain('$ kubectl -n NAMESPACE delete statefulset RELEASE-redis-master');
    // Valid for the newest chart, and the accounts reach the Job as before.
    expect((await runMain(['validate', 'v.yaml'], { cwd: dir, env })).code).toBe(0);
    expect((await renderedAccounts(path.join(dir, 'v.yaml'))).incoming.get('MollyMSP')).toBe('selfSecretMolly');
    // A second run changes nothing.
    const again = await runMain(['migrate', 'v.yaml', '--from', '13.0.1'], { cwd: dir, env });
    expect(again.stderr).toContain('needs no rewrite');
    expect(readFileSync(path.join(dir, 'v.yaml'), 'utf8')).toBe(text);
  });

  it('carries an 18.x file: drops what later charts no longer read, keeps the rest byte for byte', async () => {
    const original = fixture('values/chart-18.yaml');
    const { r, text } = await migrated('chart-18.yaml', '18.1.0');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('18.2.0: removed addAccountOperator.resources');
    expect(r.stderr).toContain('21.1.0: removed orchestrator.rabbitmq');
    expect(text).not.toContain('rabbitmq');
    const kept = original.split('\n').filter((l) => !/rabbitmq|host: orchestrator-ashpool-rabbitmq|port: 5672|resources:|requests: \{cpu/.test(l));
    for (const line of kept) expect(text.split('\n')).toContain(line);
  });

  it('refuses to go backwards or to start before 13.0.0, and writes nothing when the result would still be invalid', async () => {
    expect((await migrated('chart-18.yaml', '26.0.0', '--to', '25.0.0')).r.code).toBe(2);
    expect((await migrated('chart-18.yaml', '12.1.0')).r.stderr).toContain('charts before 13.0.0 lay out accounts and TLS differently');
    const dir = tempDir();
    const broken = fixture('values/chart-18.yaml').replace('secret: selfSecretAshpool}\n  users', 'secret: selfSecretAshpool, channel: mychannel}\n  users');
    writeFileSync(path.join(dir, 'v.yaml'), broken);
    const r = await runMain(['migrate', 'v.yaml', '--from', '18.1.0'], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nothing was written');
    expect(readFileSync(path.join(dir, 'v.yaml'), 'utf8')).toBe(broken);
  });
});

describe('migrate renames a key in place', () => {
  it('keeps a renamed key where it was in its map, and the blank line after it', async () => {
    const dir = tempDir();
    const original = fixture('values/chart-13.yaml').replace(
      '  outgoingNodes:\n    - {name: MollyMSP, secret: selfSecretMolly}\n',
      '  outgoingNodes:\n    - {name: MollyMSP, secret: selfSecretMolly}\n\n',
    );
    writeFileSync(path.join(dir, 'v.yaml'), original);
    const r = await runMain(['migrate', 'v.yaml', '--from', '13.0.1'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(path.join(dir, 'v.yaml'), 'utf8');
    expect(text).toContain(
      'addAccountOperator:\n  incomingOrganizations:\n    - {name: MollyMSP, secret: selfSecretMolly}\n  outgoingOrganizations:\n    - {name: MollyMSP, secret: selfSecretMolly}\n\n  users:\n',
    );
    expect(text.split('\n').filter((line) => /^\s+$/.test(line))).toEqual([]);
  });
});

describe('migrate --release', () => {
  it('reads the version to migrate from out of the deployed release (helm list)', async () => {
    const { StandIns } = await import('../helpers/standins.js');
    const standIns = new StandIns();
    const dir = tempDir();
    writeFileSync(path.join(dir, 'v.yaml'), fixture('values/chart-18.yaml'));
    const listed = JSON.stringify([{ name: 'backend', namespace: 'substra', chart: 'substra-backend-18.1.0', app_version: '0.20.0' }]);
    const r = await runMain(['migrate', 'v.yaml', '--release', 'backend', '--namespace', 'substra'], {
      cwd: dir,
      env: standIns.env([{ bin: 'helm', match: 'list --filter ^backend$ -o json --namespace substra', stdout: listed, exit: 0 }]),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('release backend runs substra-backend 18.1.0');
    expect(r.stderr).toContain('21.1.0: removed orchestrator.rabbitmq');
    const none = await runMain(['migrate', 'v.yaml', '--release', 'other'], { cwd: dir, env: standIns.env([{ bin: 'helm', match: 'list --filter ^other$', stdout: '[]', exit: 0 }]) });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--release other: no substra-backend release of that name; give --from');
  });
});

describe('migrate --to a chart newer than the tool knows', () => {
  it('says that changes after the newest chart it knows are not carried, instead of a clean "needs no rewrite"', async () => {
    const { r } = await migrated('chart-18.yaml', '18.1.0', '--to', '27.0.0', '--json');
    expect(r.code, r.stderr).toBe(0);
    const warning = 'this tool knows the charts up to 26.15.3: whatever 27.0.0 changed after it is not rewritten; read the chart\'s CHANGELOG from 26.15.3 to 27.0.0';
    expect(JSON.parse(r.stdout).warnings).toContainEqual({ path: '--to', message: warning });
    expect(r.stderr).toContain(`warning: --to: ${warning}`);
  });
});
