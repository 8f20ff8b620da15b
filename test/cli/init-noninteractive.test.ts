import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseEnv, GUIDE_ENV, GUIDE_FLAGS, tempDir } from '../helpers/cli.js';
import { runMain } from '../helpers/in-process.js';
import { fixture } from '../helpers/golden.js';

const secrets = Object.values(GUIDE_ENV);
const noSecretIn = (text: string) => {
  for (const s of secrets) expect(text).not.toContain(s);
};

describe('init without a terminal (CI)', () => {
  it('lists every missing required flag at once, exits 2 and never reads stdin', async () => {
    const dir = tempDir();
    const r = await runMain(['init'], { cwd: dir, env: baseEnv({ CI: 'true' }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing --organization (required when not interactive');
    expect(r.stderr).toContain('missing --host-domain');
    expect(r.stderr).toContain('missing --orchestrator-host');
    expect(r.stderr).toContain('missing --channel (at least one is required when not interactive)');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('writes the guide example from flags and environment, saying where, and prints no secret', async () => {
    const dir = tempDir();
    const r = await runMain(GUIDE_FLAGS, { cwd: dir, env: baseEnv(GUIDE_ENV) });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`wrote ${path.join(dir, 'backend-values.yaml')} (mode 0600)`);
    noSecretIn(r.stdout + r.stderr);
    const text = readFileSync(path.join(dir, 'backend-values.yaml'), 'utf8');
    expect(text).toContain("ALLOWED_HOSTS: '[\".cluster-1.example.com\"]'");
    expect(text).toContain('port: 443');
  });

  it('takes settings from SUBSTRA_* environment variables when flags are absent; a flag wins over the environment', async () => {
    const dir = tempDir();
    const env = baseEnv({
      SUBSTRA_ORGANIZATION: 'envorg', SUBSTRA_HOST_DOMAIN: 'env.example.com', SUBSTRA_ORCHESTRATOR_HOST: 'orch.example.com',
      SUBSTRA_CHANNELS: 'c1 c2,restricted', SUBSTRA_ORCHESTRATOR_PORT: '7000',
    });
    const r = await runMain(['init', '--non-interactive', '--orchestrator-port', '9443'], { cwd: dir, env });
    expect(r.code).toBe(0);
    const text = readFileSync(path.join(dir, 'backend-values.yaml'), 'utf8');
    expect(text).toContain('organizationName: envorg');
    expect(text).toContain('port: 9443');
    expect(text).toMatch(/- c2:\n\s+restricted: true/);
    expect(statSync(path.join(dir, 'backend-values.yaml')).mode & 0o777).toBe(0o644);
  });

  it('defaults the port to 80 without TLS and the mspID to the organization', async () => {
    const dir = tempDir();
    const r = await runMain(['init', '--organization', 'o', '--host-domain', 'd.example.com', '--orchestrator-host', 'h', '--channel', 'c'], { cwd: dir });
    expect(r.code).toBe(0);
    const text = readFileSync(path.join(dir, 'backend-values.yaml'), 'utf8');
    expect(text).toContain('port: 80\n');
    expect(text).toContain('mspID: o\n');
  });

  it('refuses a bad flag value with exit 2, naming the flag', async () => {
    const dir = tempDir();
    const r = await runMain([...GUIDE_FLAGS, '--orchestrator-port', 'https'], { cwd: dir, env: baseEnv(GUIDE_ENV) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--orchestrator-port "https": must be a whole number from 1 to 65535');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses an unknown flag with exit 2 and a suggestion', async () => {
    const r = await runMain(['init', '--organisation', 'x'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--organisation'");
    expect(r.stderr).toContain('--organization');
  });

  it('refuses an odd-Unicode organization name (a zero-width space) as a bad flag value', async () => {
    const r = await runMain([...GUIDE_FLAGS, '--organization', 'in\u200bgen'], { cwd: tempDir(), env: baseEnv(GUIDE_ENV) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--organization');
    expect(r.stderr).toContain('whitespace');
  });

  it('never takes a password as a literal flag value', async () => {
    const r = await runMain([...GUIDE_FLAGS, '--user', 'bob,channel=our-channel,password=Literal-Password-1234567'], { cwd: tempDir(), env: baseEnv(GUIDE_ENV) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('use password-env=VAR or password-file=PATH');
    expect(r.stderr).not.toContain('Literal-Password-1234567');
  });

  it('names an unset password variable and the way out, with exit 2', async () => {
    const r = await runMain(GUIDE_FLAGS, { cwd: tempDir(), env: baseEnv({ BIO_IN: 'x', BIO_OUT: 'y' }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--user admin: environment variable ADMIN_PASSWORD is not set');
  });

  it('asks for a secret source when none is given, unless --generate-passwords', async () => {
    const dir = tempDir();
    const missing = await runMain([...GUIDE_FLAGS.slice(0, -6), '--user', 'bob,channel=our-channel', '--user', 'admin,channel=our-channel,password-env=ADMIN_PASSWORD'], { cwd: dir, env: baseEnv(GUIDE_ENV) });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--user bob: no password; add password-env=VAR or password-file=PATH to its spec, or --generate-passwords');
    const generated = await runMain([...GUIDE_FLAGS, '--user', 'bob,channel=our-channel', '--generate-passwords'], { cwd: dir, env: baseEnv(GUIDE_ENV) });
    expect(generated.code).toBe(0);
    expect(generated.stderr).toContain('generated secrets for user bob: they are only in');
    const text = readFileSync(path.join(dir, 'backend-values.yaml'), 'utf8');
    const bob = /- name: bob\n\s+secret: (\S+)/.exec(text)?.[1];
    expect(bob).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(generated.stderr + generated.stdout).not.toContain(bob);
  });

  it('reads a password from a file, without its trailing newline', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'pw'), 'From-a-file-Passw0rd-xyz\n', { mode: 0o600 });
    const r = await runMain([...GUIDE_FLAGS, '--user', 'bob,channel=our-channel,password-file=pw'], { cwd: dir, env: baseEnv(GUIDE_ENV) });
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(dir, 'backend-values.yaml'), 'utf8')).toContain('secret: From-a-file-Passw0rd-xyz\n');
  });

  it('exits 1 with `path: message` lines for a password the backend would refuse, writing nothing', async () => {
    const dir = tempDir();
    const r = await runMain(GUIDE_FLAGS, { cwd: dir, env: baseEnv({ ...GUIDE_ENV, ADMIN_PASSWORD: 'passwordpassword1234' }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^addAccountOperator\.users\[0\]\.secret: is too easy to guess: strength \d\/4, the backend needs 3/m);
    expect(r.stderr).not.toContain('passwordpassword1234');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('writes mTLS without TLS as asked, warning that the chart then runs without it', async () => {
    const flags = GUIDE_FLAGS.filter((f) => f !== '--orchestrator-tls');
    const r = await runMain(flags, { cwd: tempDir(), env: baseEnv(GUIDE_ENV) });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('orchestrator.tls.mtls.enabled: is true with TLS off: the chart then runs without mTLS');
  });

  it('prints a JSON report on stdout with --json', async () => {
    const dir = tempDir();
    const r = await runMain([...GUIDE_FLAGS, '--json'], { cwd: dir, env: baseEnv(GUIDE_ENV) });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ command: 'init', ok: true, written: true, mode: '0600', chartVersion: '26.15.3', errors: [] });
    noSecretIn(r.stdout);
  });
});

describe('what init writes over', () => {
  it('does not overwrite an existing backend-values.yaml without --force, and says how to edit it', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'backend-values.yaml'), 'keep: me\n');
    const r = await runMain(GUIDE_FLAGS, { cwd: dir, env: baseEnv(GUIDE_ENV) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('backend-values.yaml already exists; edit it with --values backend-values.yaml, or add --force to replace it');
    expect(readFileSync(path.join(dir, 'backend-values.yaml'), 'utf8')).toBe('keep: me\n');
    const forced = await runMain([...GUIDE_FLAGS, '--force'], { cwd: dir, env: baseEnv(GUIDE_ENV) });
    expect(forced.code).toBe(0);
  });

  it('refuses an --output in a directory that does not exist, before doing anything', async () => {
    const r = await runMain([...GUIDE_FLAGS, '--output', 'no/such/dir/values.yaml'], { cwd: tempDir(), env: baseEnv(GUIDE_ENV) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--output no\/such\/dir\/values\.yaml: directory .* does not exist; create it first/);
  });

  it('refuses an --output whose parent is a file', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'afile'), '');
    const r = await runMain([...GUIDE_FLAGS, '--output', 'afile/values.yaml'], { cwd: dir, env: baseEnv(GUIDE_ENV) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--output afile/values.yaml');
  });

  it('leaves no temporary file behind after writing', async () => {
    const dir = tempDir();
    await runMain(GUIDE_FLAGS, { cwd: dir, env: baseEnv(GUIDE_ENV) });
    expect(readdirSync(dir)).toEqual(['backend-values.yaml']);
  });
});

describe('init --values (editing)', () => {
  const setup = () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'values.yaml'), fixture('values/realistic.yaml'));
    return dir;
  };

  it('keeps accounts already in the file when adding one', async () => {
    const dir = setup();
    const r = await runMain(['init', '--values', 'values.yaml', '--user', 'bob,channel=our-channel,password-env=BOB'], {
      cwd: dir,
      env: baseEnv({ BOB: 'Bobs-own-Passw0rd-is-long' }),
    });
    expect(r.code).toBe(0);
    const text = readFileSync(path.join(dir, 'values.yaml'), 'utf8');
    for (const name of ['admin', 'analyst', 'bob']) expect(text).toContain(`name: ${name}`);
    expect(text).toContain('# first admin');
  });

  it('removes an account only when named, warning that chart 26.12+ deletes it at the next upgrade', async () => {
    const dir = setup();
    const r = await runMain(['init', '--values', 'values.yaml', '--remove-user', 'analyst', '--remove-incoming', 'biotechnica'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('addAccountOperator.users: removed user "analyst": chart 26.15.3 deletes this account from the backend at the next upgrade');
    expect(r.stderr).toContain('removed incoming organization "biotechnica"');
    expect(readFileSync(path.join(dir, 'values.yaml'), 'utf8')).not.toContain('analyst');
  });

  it('says an older chart leaves a removed account in place', async () => {
    const dir = setup();
    const r = await runMain(['init', '--values', 'values.yaml', '--remove-user', 'analyst', '--chart-version', '26.11.0'], { cwd: dir });
    expect(r.stderr).toContain('chart 26.11.0 leaves the account in the backend');
  });

  it('refuses to remove an account that is not there', async () => {
    const r = await runMain(['init', '--values', 'values.yaml', '--remove-user', 'nobody'], { cwd: setup() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--remove-user nobody: there is no such entry in the --values file');
  });

  it('writes nothing when the file already says everything', async () => {
    const dir = setup();
    const before = statSync(path.join(dir, 'values.yaml')).mtimeMs;
    const r = await runMain(['init', '--values', 'values.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('already says all of this; nothing to write');
    expect(statSync(path.join(dir, 'values.yaml')).mtimeMs).toBe(before);
  });

  it('exits 2 on malformed YAML with file:line:column and leaves the file untouched', async () => {
    const dir = tempDir();
    const broken = 'organizationName: ingen\norchestrator:\n  channels: [a, b\n  host: x\n';
    writeFileSync(path.join(dir, 'values.yaml'), broken);
    const r = await runMain(['init', '--values', 'values.yaml', '--organization', 'x'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/values\.yaml:\d+:\d+: YAML syntax error/);
    expect(readFileSync(path.join(dir, 'values.yaml'), 'utf8')).toBe(broken);
  });

  it('exits 2 for a --values file that does not exist', async () => {
    const r = await runMain(['init', '--values', 'nope.yaml'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--values nope.yaml: does not exist');
  });

  it('exits 2 for a huge --values file before parsing it', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'big.yaml'), `a: "${'x'.repeat(6 * 1024 * 1024)}"\n`);
    const r = await runMain(['init', '--values', 'big.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/big\.yaml: is 6\.0 MiB; a values file is at most 5 MiB/);
  });

  it('exits 1 without writing when the edited file is invalid (a bad user already in it)', async () => {
    const dir = setup();
    const original = readFileSync(path.join(dir, 'values.yaml'), 'utf8');
    const r = await runMain(['init', '--values', 'values.yaml', '--channel', 'new', '--remove-channel', 'private-ingen'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('addAccountOperator.users[1].channel: channel "private-ingen" is not in orchestrator.channels');
    expect(readFileSync(path.join(dir, 'values.yaml'), 'utf8')).toBe(original);
  });
});

describe('validate', () => {
  it('exits 0 for a valid file and 1 with path: message lines for an invalid one', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'ok.yaml'), fixture('values/realistic.yaml'));
    expect((await runMain(['validate', 'ok.yaml'], { cwd: dir })).code).toBe(0);
    writeFileSync(path.join(dir, 'bad.yaml'), fixture('values/realistic.yaml').replace('port: 443', "port: '44x'"));
    const bad = await runMain(['validate', 'bad.yaml', '--json'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('orchestrator.port: must be a whole number from 1 to 65535 (it is a string)');
    expect(JSON.parse(bad.stdout)).toMatchObject({ command: 'validate', ok: false, errors: [{ path: 'orchestrator.port' }] });
  });

  it('exits 2 for an unreadable file and for a YAML error (with file:line:column)', async () => {
    const dir = tempDir();
    expect((await runMain(['validate', 'missing.yaml'], { cwd: dir })).code).toBe(2);
    writeFileSync(path.join(dir, 'tab.yaml'), 'a:\n\tb: 1\n');
    const r = await runMain(['validate', 'tab.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('tab.yaml:2:1: YAML syntax error');
  });

  it('checks membership against the orchestrator values', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'v.yaml'), fixture('values/realistic.yaml'));
    writeFileSync(path.join(dir, 'o.yaml'), 'channels:\n  - {name: our-channel, organizations: [ingen, biotechnica]}\n  - {name: private-ingen, organizations: [ingen, biotechnica]}\n');
    const r = await runMain(['validate', 'v.yaml', '--orchestrator-values', 'o.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('orchestrator.channels[1].private-ingen.restricted: channel "private-ingen" is restricted but has other members');
  });

  it('refuses a malformed --chart-version as a usage error', async () => {
    const r = await runMain(['validate', 'x.yaml', '--chart-version', 'latest'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--chart-version "latest": must be a version such as 26.15.3');
  });

  it('does not write anything', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'v.yaml'), fixture('values/realistic.yaml'));
    await runMain(['validate', 'v.yaml'], { cwd: dir });
    expect(readdirSync(dir)).toEqual(['v.yaml']);
    expect(existsSync(path.join(dir, 'backend-values.yaml'))).toBe(false);
  });
});

describe('secret references', () => {
  it('reports an unset variable once, not also as a missing password', async () => {
    const r = await runMain(GUIDE_FLAGS, { cwd: tempDir(), env: baseEnv({ BIO_IN: 'x', BIO_OUT: 'y' }) });
    expect(r.stderr.match(/--user admin/g)).toHaveLength(1);
  });

  it('names a password file that does not exist', async () => {
    const r = await runMain([...GUIDE_FLAGS, '--user', 'bob,channel=our-channel,password-file=missing.txt'], { cwd: tempDir(), env: baseEnv(GUIDE_ENV) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--user bob: secret file missing.txt: does not exist');
  });
});
