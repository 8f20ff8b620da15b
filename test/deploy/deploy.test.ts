import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeCertificates } from '../helpers/certs.js';
import { sharedChartRepository } from '../helpers/chart-repo.js';
import { GUIDE_ENV, GUIDE_FLAGS, tempDir } from '../helpers/cli.js';
import { guideBackendFiles, runMain } from '../helpers/in-process.js';
import { StandIns, type StandInRule } from '../helpers/standins.js';

const repo = sharedChartRepository();
let certs: ReturnType<typeof makeCertificates>;
let standIns: StandIns;
let work: string;
let guideBackend: () => string;
const SECRETS = Object.values(GUIDE_ENV);

beforeAll(async () => {
  certs = makeCertificates();
  guideBackend = await guideBackendFiles();
});

beforeEach(() => {
  standIns = new StandIns();
  work = guideBackend();
});

const deploy = (extra: string[], rules: StandInRule[] = [], env: Record<string, string> = {}) =>
  runMain(
    ['deploy', '--values', 'backend-values.yaml', '--repo-url', repo.url, '--namespace', 'substra', '--orchestrator-ca-cert', certs.ca, '--client-cert', certs.cert, '--client-key', certs.key, ...extra],
    { cwd: work, env: { ...standIns.env(rules), ...env } },
  );

/** No secret of the values file, nor the client key, on any child's command line or in any output. */
function expectNoSecretLeak(output: string): void {
  const key = readFileSync(certs.key, 'utf8').split('\n')[1] as string;
  for (const call of standIns.calls()) {
    for (const secret of [...SECRETS, key]) expect(call.argv.join(' ')).not.toContain(secret);
  }
  for (const secret of [...SECRETS, key]) expect(output).not.toContain(secret);
}

describe('deploy against a real chart repository on 127.0.0.1', () => {
  it('adds the repository, picks the newest version, creates the CA Secret and the client Secret, renders, then installs', async () => {
    const r = await deploy([]);
    expect(r.stderr).toContain('release backend runs substra/substra-backend 26.15.3 in namespace substra');
    expect(r.code).toBe(0);
    const calls = standIns.calls();
    const helmCalls = calls.filter((c) => c.bin === 'helm').map((c) => c.argv.slice(0, 2).join(' '));
    expect(helmCalls).toEqual(['version --template', 'repo add', 'repo update', 'search repo', 'get values', 'template backend', 'upgrade --install']);
    const install = calls.find((c) => c.argv[0] === 'upgrade')!;
    expect(install.argv).toEqual([
      'upgrade', '--install', 'backend', 'substra/substra-backend', '--version', '26.15.3',
      '--values', path.join(work, 'backend-values.yaml'), '--namespace', 'substra', '--timeout', '300s',
    ]);
    const applied = calls.filter((c) => c.argv[0] === 'apply').map((c) => parse(c.stdin));
    const ca = applied.find((o) => o.metadata.name === 'orchestrator-cacert');
    expect(ca.kind).toBe('Secret');
    expect(Object.keys(ca.data)).toEqual(['ca.crt']);
    expect(Buffer.from(ca.data['ca.crt'], 'base64').toString()).toBe(readFileSync(certs.ca, 'utf8'));
    const client = applied.find((o) => o.metadata.name === 'orchestrator-client-cert');
    expect(client.type).toBe('kubernetes.io/tls');
    expect(Object.keys(client.data).sort()).toEqual(['tls.crt', 'tls.key']);
    expect(r.stderr).toContain('client certificate: O=ingen, CN=ingen-backend');
    expectNoSecretLeak(r.stdout + r.stderr);
  });

  it('makes the CA a ConfigMap on a 25.x chart, as those charts mount it', async () => {
    const r = await deploy(['--chart-version', '25.3.0']);
    expect(r.code).toBe(0);
    const ca = standIns.calls().filter((c) => c.argv[0] === 'apply').map((c) => parse(c.stdin)).find((o) => o.metadata.name === 'orchestrator-cacert');
    expect(ca.kind).toBe('ConfigMap');
    expect(Object.keys(ca.data)).toEqual(['ca.crt']);
    expect(standIns.calls().find((c) => c.argv[0] === 'auth')?.argv).toEqual(['auth', 'can-i', 'create', 'configmaps', '--namespace', 'substra']);
  });

  it('refuses a chart version the repository lacks, listing the versions it has', async () => {
    const r = await deploy(['--chart-version', '26.99.0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('chart version 26.99.0 is not in the repository (substra/substra-backend)');
    expect(r.stderr).toContain('it has 26.15.3, 25.3.0');
    expect(standIns.calls().some((c) => c.argv[0] === 'apply' || c.argv[0] === 'upgrade')).toBe(false);
  });

  it('can be run again: the repository already added and the objects already there are fine', async () => {
    expect((await deploy([])).code).toBe(0);
    standIns.clearCalls();
    const again = await deploy([]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('Add chart repository substra');
  });

  it('prints the plan as $ lines with --dry-run and runs nothing', async () => {
    const r = await deploy(['--dry-run', '--create-namespace', '--kube-context', 'prod']);
    expect(r.code).toBe(0);
    expect(standIns.calls()).toEqual([]);
    const lines = r.stdout.trim().split('\n');
    expect(lines.every((l) => l.startsWith('$ '))).toBe(true);
    expect(lines).toContain('$ kubectl create namespace substra --dry-run=client -o yaml | kubectl apply -f - --context prod');
    expect(lines.at(-1)).toBe(
      `$ helm upgrade --install backend substra/substra-backend --version 26.15.3 --values ${path.join(work, 'backend-values.yaml')} --namespace substra --kube-context prod --timeout 300s`,
    );
    expectNoSecretLeak(r.stdout + r.stderr);
  });

  it('init --deploy writes the file then deploys it, in one run', async () => {
    const dir = tempDir();
    const r = await runMain([...GUIDE_FLAGS, '--deploy', '--repo-url', repo.url, '--orchestrator-ca-cert', certs.ca, '--client-cert', certs.cert, '--client-key', certs.key], {
      cwd: dir,
      env: { ...standIns.env(), ...GUIDE_ENV },
    });
    expect(r.stderr).toContain('wrote');
    expect(r.stderr).toContain('release backend runs substra/substra-backend 26.15.3');
    expect(r.code).toBe(0);
  });

  it('init --deploy --dry-run writes nothing and shows the file masked and the steps', async () => {
    const dir = tempDir();
    const r = await runMain([...GUIDE_FLAGS, '--deploy', '--dry-run', '--orchestrator-ca-cert', certs.ca], { cwd: dir, env: { ...standIns.env(), ...GUIDE_ENV } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('dry run: would write backend-values.yaml (mode 0600)');
    expect(r.stderr).toContain('secret: "***"');
    expect(r.stdout).toContain('$ helm upgrade --install backend substra/substra-backend');
    expect(standIns.calls()).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
    expectNoSecretLeak(r.stdout + r.stderr);
  });
});


describe('a chart repository that needs credentials', () => {
  const REPO_PASSWORD = 'Repo-T0ken/Secret+123';

  it('refuses a --repo-url that is no http(s) URL (helm could not add it), without showing what may be a password before "@"', async () => {
    for (const given of ['user:s3cret-Pass@charts.example.com/substra', 'ftp://charts.example.com/', 'charts.example.com']) {
      const r = await deploy(['--repo-url', given]);
      expect(r.code, given).toBe(2);
      expect(r.stderr).toContain('must be an http:// or https:// URL');
      expect(r.stderr).not.toContain('s3cret-Pass');
    }
    expect(standIns.calls()).toEqual([]);
  });

  it('refuses credentials in --repo-url (they would reach helm\'s command line and every printed step), exit 2, nothing run or written', async () => {
    const url = `https://me:${encodeURIComponent(REPO_PASSWORD)}@charts.example.com/`;
    for (const args of [['--dry-run'], [], ['--json']]) {
      const r = await deploy(['--repo-url', url, ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--repo-url: holds a user name and password');
      expect(r.stderr).toContain('SUBSTRA_REPO_PASSWORD');
      expect(standIns.calls()).toEqual([]);
      expect(r.stdout + r.stderr).not.toContain(encodeURIComponent(REPO_PASSWORD));
      if (args.includes('--json')) expect(JSON.parse(r.stdout)).toMatchObject({ ok: false });
    }
    const dir = tempDir();
    const init = await runMain([...GUIDE_FLAGS, '--deploy', '--repo-url', url], { cwd: dir, env: { ...standIns.env(), ...GUIDE_ENV } });
    expect(init.code).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes them from SUBSTRA_REPO_USERNAME and SUBSTRA_REPO_PASSWORD: the password goes to helm on stdin, never on a command line or in output', async () => {
    const env = { SUBSTRA_REPO_USERNAME: 'me', SUBSTRA_REPO_PASSWORD: REPO_PASSWORD };
    const dry = await deploy(['--dry-run'], [], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`$ helm repo add substra ${repo.url} --username me --password-stdin`);
    const r = await deploy([], [{ bin: 'helm', match: 'upgrade', exit: 1, stderr: `Error: could not download ${repo.url} as me:${REPO_PASSWORD}\n` }], env);
    expect(r.code).toBe(1);
    const add = standIns.calls().find((c) => c.argv.slice(0, 2).join(' ') === 'repo add')!;
    expect(add.argv).toEqual(['repo', 'add', 'substra', repo.url, '--username', 'me', '--password-stdin']);
    expect(add.stdin).toBe(REPO_PASSWORD);
    for (const call of standIns.calls()) expect(call.argv.join(' ')).not.toContain(REPO_PASSWORD);
    expect(dry.stdout + dry.stderr + r.stdout + r.stderr).not.toContain(REPO_PASSWORD);
    expect(r.stderr).toContain('as me:***');
  });

  it('a password without a user name is a usage error naming both variables', async () => {
    const r = await deploy(['--dry-run'], [], { SUBSTRA_REPO_PASSWORD: REPO_PASSWORD });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('SUBSTRA_REPO_PASSWORD is set but SUBSTRA_REPO_USERNAME is not');
  });
});

describe('a public CA bundle as the orchestrator CA', () => {
  it('goes into the CA object whole, as ca.crt', async () => {
    const other = makeCertificates();
    const bundle = path.join(work, 'public-cas.pem');
    writeFileSync(bundle, [readFileSync(certs.ca, 'utf8'), readFileSync(other.ca, 'utf8'), readFileSync(other.cert, 'utf8')].join(''));
    const r = await runMain(['deploy', '--values', 'backend-values.yaml', '--repo-url', repo.url, '--namespace', 'substra', '--orchestrator-ca-cert', bundle, '--dry-run'], {
      cwd: work,
      env: standIns.env(),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('orchestrator CA: a bundle of 3 certificates');
    expect(r.stdout).toContain(`$ kubectl create secret generic orchestrator-cacert --from-file=ca.crt=${bundle}`);
  });
});

describe('checks before anything changes', () => {
  it('refuses a CA file that is not a certificate, with exit 2', async () => {
    const r = await deploy(['--orchestrator-ca-cert', certs.key]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--orchestrator-ca-cert ${certs.key}: holds a private key, not a certificate`);
    expect(standIns.calls()).toEqual([]);
  });

  it('refuses a client key that does not match the certificate', async () => {
    const r = await deploy(['--client-key', certs.otherKey]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--client-key ${certs.otherKey}: is not the key of --client-cert`);
  });

  it("refuses a client certificate whose O is not the organization's mspID (exit 1, nothing run), and takes one where any O is", async () => {
    const other = makeCertificates(365, '/O=biotechnica/CN=biotechnica-backend');
    const r = await deploy(['--client-cert', other.cert, '--client-key', other.key, '--orchestrator-ca-cert', other.ca]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `orchestrator.mspID: is "ingen", but the client certificate ${other.cert} has O=biotechnica: with verifyClientMSPID the orchestrator refuses every call whose certificate's O does not name the mspID the backend sends`,
    );
    expect(standIns.calls()).toEqual([]);
    const several = makeCertificates(365, '/O=tyrell/O=ingen/CN=ingen-backend');
    const ok = await deploy(['--client-cert', several.cert, '--client-key', several.key, '--orchestrator-ca-cert', several.ca, '--dry-run']);
    expect(ok.stderr).not.toContain('orchestrator.mspID');
    expect(ok.code).toBe(0);
  });

  it('warns when the client certificate expires soon', async () => {
    const soon = makeCertificates(10);
    const r = await deploy(['--client-cert', soon.cert, '--client-key', soon.key, '--orchestrator-ca-cert', soon.ca]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: --client-cert .*: expires on \d{4}-\d\d-\d\d, in (9|10) days/);
  });

  it('without a CA file, checks that the CA object already exists rather than install pods that never start', async () => {
    const r = await runMain(['deploy', '--values', 'backend-values.yaml', '--repo-url', repo.url, '--client-cert', certs.cert, '--client-key', certs.key], {
      cwd: work,
      env: standIns.env([{ bin: 'kubectl', match: 'get secret orchestrator-cacert', exit: 1, stderr: 'Error from server (NotFound): secrets "orchestrator-cacert" not found\n' }]),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('secret orchestrator-cacert (orchestrator.tls.cacert) is not in the cluster, and no ConfigMap of that name holds a ca.crt to convert');
    expect(r.stderr).toContain('hint: the CA object is not in the cluster, so the backend pods would never start: pass --orchestrator-ca-cert FILE');
    expect(standIns.calls().some((c) => c.argv[0] === 'upgrade' || c.argv[0] === 'apply')).toBe(false);
  });

  it('converts the CA ConfigMap of a chart before 26.0.0 into the Secret 26.x mounts, through a private file it removes', async () => {
    const pem = readFileSync(certs.ca, 'utf8');
    const r = await runMain(['deploy', '--values', 'backend-values.yaml', '--repo-url', repo.url, '--client-cert', certs.cert, '--client-key', certs.key], {
      cwd: work,
      env: standIns.env([
        { bin: 'kubectl', match: 'get secret orchestrator-cacert', exit: 1, stderr: 'Error from server (NotFound): secrets "orchestrator-cacert" not found\n' },
        { bin: 'kubectl', match: 'get configmap orchestrator-cacert -o json', exit: 0, stdout: JSON.stringify({ kind: 'ConfigMap', data: { 'ca.crt': pem } }) },
      ]),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('converting ConfigMap orchestrator-cacert (charts before 26.0.0) into the Secret orchestrator-cacert');
    const create = standIns.calls().find((c) => c.argv.slice(0, 4).join(' ') === 'create secret generic orchestrator-cacert')!;
    const file = create.argv.find((a) => a.startsWith('--from-file=ca.crt='))!.split('=')[2] as string;
    const applied = standIns.calls().filter((c) => c.argv[0] === 'apply').map((c) => parse(c.stdin)).find((o) => o.metadata.name === 'orchestrator-cacert');
    expect(applied.kind).toBe('Secret');
    expect(Buffer.from(applied.data['ca.crt'], 'base64').toString()).toBe(pem);
    expect(file, "the converted CA goes through a private temporary file").toMatch(/substra-deploy-/);
    expect(existsSync(file), file).toBe(false);
    expect(standIns.calls().some((c) => c.argv[0] === 'upgrade')).toBe(true);
  });

  it('checks the right to create Secrets before converting the CA ConfigMap, when no other step needs it: refused, nothing changes', async () => {
    const pem = readFileSync(certs.ca, 'utf8');
    const r = await runMain(['deploy', '--values', 'backend-values.yaml', '--repo-url', repo.url], {
      cwd: work,
      env: standIns.env([
        { bin: 'kubectl', match: 'get secret orchestrator-cacert', exit: 1, stderr: 'Error from server (NotFound): secrets "orchestrator-cacert" not found\n' },
        { bin: 'kubectl', match: 'get configmap orchestrator-cacert -o json', exit: 0, stdout: JSON.stringify({ kind: 'ConfigMap', data: { 'ca.crt': pem } }) },
        { bin: 'kubectl', match: 'auth can-i create secrets', exit: 1, stdout: 'no\n' },
      ]),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('step "Check permission to create secrets" failed');
    expect(standIns.calls().some((c) => c.argv[0] === 'create' || c.argv[0] === 'apply' || c.argv[0] === 'upgrade')).toBe(false);
  });

  it('refuses to deploy an invalid values file (exit 1, path: message)', async () => {
    const file = path.join(work, 'backend-values.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, readFileSync(file, 'utf8').replace('port: 443', 'port: 0'));
    const r = await deploy([]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('orchestrator.port: must be from 1 to 65535');
    expect(standIns.calls()).toEqual([]);
  });
});

describe('an upgrade that would delete accounts (chart 26.12.0+)', () => {
  const deployedValues = JSON.stringify({
    addAccountOperator: {
      users: [{ name: 'admin', secret: GUIDE_ENV.ADMIN_PASSWORD, channel: 'our-channel' }, { name: 'bob', secret: 'Bob-Deployed-Password-42xx', channel: 'our-channel' }, { name: 'carol', secret: 'Carol-Deployed-Password-42x', channel: 'our-channel' }],
      incomingOrganizations: [{ name: 'biotechnica', secret: GUIDE_ENV.BIO_IN }],
      outgoingOrganizations: [{ name: 'biotechnica', secret: GUIDE_ENV.BIO_OUT }],
    },
  });
  const deployedRule: StandInRule = { bin: 'helm', match: 'get values backend --all -o json', stdout: deployedValues, exit: 0 };

  it('stops before changing anything and names every account that would go', async () => {
    const r = await deploy([], [deployedRule]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('stopped before changing anything: the upgrade deletes user "bob", user "carol" from the backend');
    expect(r.stderr).toContain('--allow-deletions');
    expect(standIns.calls().some((c) => c.argv[0] === 'upgrade' || c.argv[0] === 'apply')).toBe(false);
    expectNoSecretLeak(r.stdout + r.stderr);
    expect(r.stdout + r.stderr).not.toContain('Bob-Deployed-Password-42xx');
  });

  it('goes on with --allow-deletions, saying what it deletes', async () => {
    const r = await deploy(['--allow-deletions'], [deployedRule]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('the upgrade deletes user "bob", user "carol"');
    expect(standIns.calls().some((c) => c.argv[0] === 'upgrade')).toBe(true);
  });

  it('reads a first install ("release: not found") as nothing to delete', async () => {
    const r = await deploy([], [{ bin: 'helm', match: 'get values backend', stderr: 'Error: release: not found\n', exit: 1 }]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('--diff shows what changes in the cluster, Secrets masked, and changes nothing', async () => {
    const deployedManifest = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: backend-orchestrator}\ndata:\n  HOST: orchestrator.old.example.com\n',
      `apiVersion: v1\nkind: Secret\nmetadata: {name: backend-add-account}\ndata:\n  users: ${Buffer.from('admin Old-Admin-Password-123456 our-channel\n').toString('base64')}\n`,
    ].join('---\n');
    const r = await deploy(['--diff'], [deployedRule, { bin: 'helm', match: 'get manifest backend', stdout: deployedManifest, exit: 0 }]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('-   HOST: orchestrator.old.example.com');
    expect(r.stdout).toMatch(/users: "?\*\*\* \(changed\)"?/);
    expect(r.stderr).toContain('nothing was changed');
    expect(r.stderr).toContain('the upgrade deletes user "bob", user "carol"');
    expect(standIns.calls().some((c) => c.argv[0] === 'upgrade' || c.argv[0] === 'apply')).toBe(false);
    expectNoSecretLeak(r.stdout + r.stderr);
    expect(r.stdout).not.toContain('Old-Admin-Password-123456');
  });
});
