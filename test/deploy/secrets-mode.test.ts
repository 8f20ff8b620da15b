import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { accountsFromSecret } from '../helpers/backend-accounts.js';
import { sharedChartRepository } from '../helpers/chart-repo.js';
import { GUIDE_ENV, GUIDE_FLAGS, tempDir } from '../helpers/cli.js';
import { runMain } from '../helpers/in-process.js';
import { StandIns } from '../helpers/standins.js';

const repo = sharedChartRepository();

const NO_TLS = GUIDE_FLAGS.filter((f) => f !== '--orchestrator-tls' && f !== '--mtls');

describe('--secrets-mode secret (addAccountOperator.existingSecret)', () => {
  it('writes a values file without a single password (0644) and the accounts to a 0600 credentials file', async () => {
    const dir = tempDir();
    const r = await runMain([...NO_TLS, '--secrets-mode', 'secret'], { cwd: dir, env: { ...new StandIns().env(), ...GUIDE_ENV } });
    expect(r.code).toBe(0);
    const values = readFileSync(path.join(dir, 'backend-values.yaml'), 'utf8');
    for (const secret of Object.values(GUIDE_ENV)) expect(values).not.toContain(secret);
    expect(parse(values).addAccountOperator).toEqual({ existingSecret: 'backend-accounts' });
    expect(statSync(path.join(dir, 'backend-values.yaml')).mode & 0o777).toBe(0o644);
    const credentials = parse(readFileSync(path.join(dir, 'backend-values.credentials.yaml'), 'utf8'));
    expect(credentials.addAccountOperator.users).toEqual([{ name: 'admin', secret: GUIDE_ENV.ADMIN_PASSWORD, channel: 'our-channel' }]);
    expect(statSync(path.join(dir, 'backend-values.credentials.yaml')).mode & 0o777).toBe(0o600);
    expect(r.stderr).toContain('the accounts are in backend-values.credentials.yaml (mode 0600, keep it out of git)');
  });

  it('reads the credentials file back on the next edit, keeping the accounts', async () => {
    const dir = tempDir();
    await runMain([...NO_TLS, '--secrets-mode', 'secret'], { cwd: dir, env: GUIDE_ENV });
    const r = await runMain(['init', '--values', 'backend-values.yaml', '--user', 'bob,channel=our-channel', '--generate-passwords'], { cwd: dir });
    expect(r.code).toBe(0);
    const users = parse(readFileSync(path.join(dir, 'backend-values.credentials.yaml'), 'utf8')).addAccountOperator.users;
    expect(users.map((u: { name: string }) => u.name)).toEqual(['admin', 'bob']);
    expect(r.stderr).toContain('they are only in');
    expect(r.stderr).toContain('backend-values.credentials.yaml');
    expect((await runMain(['validate', 'backend-values.yaml'], { cwd: dir })).code).toBe(0);
  });

  it('is refused on a chart older than 26.8.0', async () => {
    const r = await runMain([...NO_TLS, '--secrets-mode', 'secret', '--chart-version', '26.7.0'], { cwd: tempDir(), env: GUIDE_ENV });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--secrets-mode secret needs chart 26.8.0 or later');
  });

  it('deploy creates the Secret from a private temporary folder, removed afterwards, with the Job\'s line formats', async () => {
    const dir = tempDir();
    const standIns = new StandIns();
    await runMain([...NO_TLS, '--secrets-mode', 'secret'], { cwd: dir, env: { ...standIns.env(), ...GUIDE_ENV } });
    standIns.clearCalls();
    const r = await runMain(['deploy', '--values', 'backend-values.yaml', '--repo-url', repo.url], { cwd: dir, env: standIns.env() });
    expect(r.stderr).toContain('Put the accounts in Secret backend-accounts');
    expect(r.code).toBe(0);
    const create = standIns.calls().find((c) => c.argv.slice(0, 4).join(' ') === 'create secret generic backend-accounts')!;
    const fromFiles = create.argv.filter((a) => a.startsWith('--from-file='));
    expect(fromFiles.map((a) => a.split('=')[1])).toEqual(['users', 'incoming_organizations', 'outgoing_organizations']);
    for (const arg of fromFiles) expect(existsSync(arg.split('=')[2] as string)).toBe(false);
    const applied = parse(standIns.calls().find((c) => c.argv[0] === 'apply' && c.stdin.includes('backend-accounts'))!.stdin);
    // Read as the backend's sync Job reads the Secret it mounts.
    const accounts = accountsFromSecret(applied);
    expect(accounts.users).toEqual(new Map([['admin', { password: GUIDE_ENV.ADMIN_PASSWORD, channel: 'our-channel' }]]));
    expect(accounts.incoming).toEqual(new Map([['biotechnica', GUIDE_ENV.BIO_IN]]));
    expect(accounts.outgoing).toEqual(new Map([['biotechnica', GUIDE_ENV.BIO_OUT]]));
    for (const call of standIns.calls()) for (const secret of Object.values(GUIDE_ENV)) expect(call.argv.join(' ')).not.toContain(secret);
    for (const secret of Object.values(GUIDE_ENV)) expect(r.stdout + r.stderr).not.toContain(secret);
  });

  it('deploy refuses when the credentials file is missing', async () => {
    const dir = tempDir();
    await runMain([...NO_TLS, '--secrets-mode', 'secret', '--credentials', 'elsewhere.yaml'], { cwd: dir, env: GUIDE_ENV });
    const r = await runMain(['deploy', '--values', 'backend-values.yaml', '--dry-run'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('names Secret backend-accounts (addAccountOperator.existingSecret): its accounts are read from backend-values.credentials.yaml, which is not there (--credentials FILE)');
    const ok = await runMain(['deploy', '--values', 'backend-values.yaml', '--dry-run', '--credentials', 'elsewhere.yaml'], { cwd: dir });
    expect(ok.code).toBe(0);
  });
});

describe('secrets mode never empties the accounts', () => {
  /** A values file in secrets mode and its credentials file, written in-process. */
  async function secretsModeFiles(): Promise<string> {
    const dir = tempDir();
    const r = await runMain([...NO_TLS, '--secrets-mode', 'secret'], { cwd: dir, env: GUIDE_ENV });
    expect(r.code).toBe(0);
    return dir;
  }
  const files = (dir: string) => readdirSync(dir).sort();

  it('an edit refuses when the credentials file is missing, and creates no empty one', async () => {
    const dir = await secretsModeFiles();
    rmSync(path.join(dir, 'backend-values.credentials.yaml'));
    const before = readFileSync(path.join(dir, 'backend-values.yaml'), 'utf8');
    const r = await runMain(['init', '--values', 'backend-values.yaml', '--organization', 'x'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'backend-values.yaml names Secret backend-accounts (addAccountOperator.existingSecret): its accounts are read from backend-values.credentials.yaml, which is not there (--credentials FILE); nothing was done',
    );
    expect(files(dir)).toEqual(['backend-values.yaml']);
    expect(readFileSync(path.join(dir, 'backend-values.yaml'), 'utf8')).toBe(before);
  });

  it('an edit refuses when the credentials file cannot be read', async () => {
    const dir = await secretsModeFiles();
    writeFileSync(path.join(dir, 'backend-values.credentials.yaml'), 'addAccountOperator: [unclosed\n');
    const r = await runMain(['init', '--values', 'backend-values.yaml', '--organization', 'x'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/backend-values\.credentials\.yaml:\d+:\d+: YAML syntax error/);
    expect(readFileSync(path.join(dir, 'backend-values.credentials.yaml'), 'utf8')).toBe('addAccountOperator: [unclosed\n');
  });

  it('link and network refuse a file whose credentials file is missing', async () => {
    const dir = await secretsModeFiles();
    rmSync(path.join(dir, 'backend-values.credentials.yaml'));
    const link = await runMain(['link', 'backend-values.yaml'], { cwd: dir });
    expect(link.code).toBe(2);
    expect(link.stderr).toContain('which is not there (--credentials FILE)');
    writeFileSync(
      path.join(dir, 'network.yaml'),
      'orchestrator: {host: orchestrator.example.com}\nchannels: [{name: our-channel, members: [ingen]}]\norganizations: [{name: ingen, domain: cluster-1.example.com, file: backend-values.yaml}]\n',
    );
    const network = await runMain(['network', 'network.yaml'], { cwd: dir });
    expect(network.code).toBe(2);
    expect(network.stderr).toContain('which is not there (--credentials FILE)');
    expect(files(dir)).toEqual(['backend-values.yaml', 'network.yaml']);
  });

  it('--secrets-mode values moves the accounts back into the values file', async () => {
    const dir = await secretsModeFiles();
    const r = await runMain(['init', '--values', 'backend-values.yaml', '--secrets-mode', 'values'], { cwd: dir });
    expect(r.code).toBe(0);
    const values = parse(readFileSync(path.join(dir, 'backend-values.yaml'), 'utf8'));
    expect(values.addAccountOperator.existingSecret).toBeUndefined();
    expect(values.addAccountOperator.users).toEqual([{ name: 'admin', secret: GUIDE_ENV.ADMIN_PASSWORD, channel: 'our-channel' }]);
    expect(values.addAccountOperator.incomingOrganizations).toEqual([{ name: 'biotechnica', secret: GUIDE_ENV.BIO_IN }]);
    expect(values.addAccountOperator.outgoingOrganizations).toEqual([{ name: 'biotechnica', secret: GUIDE_ENV.BIO_OUT }]);
    expect(r.stderr).toContain('backend-values.credentials.yaml is not read any more');
    // it was 0644 without secrets: kept, with the command that closes it
    expect(r.stderr).toContain('run chmod 600 backend-values.yaml');
  });

  it('a fresh init in secrets mode never adopts a credentials file it did not write; --force replaces it', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'v.credentials.yaml'), 'addAccountOperator:\n  users:\n    - {name: mallory, secret: Planted-Passw0rd-from-before, channel: our-channel}\n');
    const refused = await runMain([...NO_TLS, '--secrets-mode', 'secret', '-o', 'v.yaml'], { cwd: dir, env: GUIDE_ENV });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('v.credentials.yaml already exists and this run did not write it; add --force to replace it (its accounts are not read)');
    expect(files(dir)).toEqual(['v.credentials.yaml']);
    const forced = await runMain([...NO_TLS, '--secrets-mode', 'secret', '-o', 'v.yaml', '--force'], { cwd: dir, env: GUIDE_ENV });
    expect(forced.code).toBe(0);
    const users = parse(readFileSync(path.join(dir, 'v.credentials.yaml'), 'utf8')).addAccountOperator.users;
    expect(users.map((u: { name: string }) => u.name)).toEqual(['admin']);
  });
});
