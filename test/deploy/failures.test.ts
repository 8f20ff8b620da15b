import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeCertificates } from '../helpers/certs.js';
import { sharedChartRepository } from '../helpers/chart-repo.js';
import { GUIDE_ENV, tempDir, TOOLS } from '../helpers/cli.js';
import { guideBackendFiles, runMain } from '../helpers/in-process.js';
import { StandIns, type StandInRule } from '../helpers/standins.js';

const repo = sharedChartRepository();
let certs: ReturnType<typeof makeCertificates>;
let standIns: StandIns;
let work: string;
let guideBackend: () => string;

beforeAll(async () => {
  certs = makeCertificates();
  guideBackend = await guideBackendFiles();
});

beforeEach(() => {
  standIns = new StandIns();
  work = guideBackend();
});

const deployArgs = () => [
  'deploy', '--values', 'backend-values.yaml', '--namespace', 'substra', '--repo-url', repo.url,
  '--orchestrator-ca-cert', certs.ca, '--client-cert', certs.cert, '--client-key', certs.key,
];
const deploy = (rules: StandInRule[] = [], extra: string[] = [], env: Record<string, string> = {}) =>
  runMain([...deployArgs(), ...extra], { cwd: work, env: { ...standIns.env(rules), ...env } });

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A folder holding only node, so no kubectl of the machine's can slip in. */
function nodeDir(standIns: StandIns): string {
  const dir = path.join(standIns.dir, 'node-only');
  mkdirSync(dir, { recursive: true });
  try {
    symlinkSync(process.execPath, path.join(dir, 'node'));
  } catch {
    /* already there */
  }
  return dir;
}

/** After any failure the same command, with the fault gone, finishes. */
async function expectRerunFinishes(): Promise<void> {
  const again = await deploy();
  expect(again.stderr).toContain('release backend runs substra/substra-backend 26.15.3');
  expect(again.code).toBe(0);
}

describe('a failing step names itself, shows the tool\'s words and a hint, exits 1, and a re-run finishes', () => {
  it('helm upgrade failing', async () => {
    const r = await deploy([{ bin: 'helm', match: 'upgrade', exit: 1, stderr: 'Error: UPGRADE FAILED: pre-upgrade hooks failed\n' }]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('step "Install or upgrade release backend (substra/substra-backend 26.15.3)" failed: helm exited 1');
    expect(r.stderr).toContain('│ Error: UPGRADE FAILED: pre-upgrade hooks failed');
    expect(r.stderr).toContain('hint:');
    await expectRerunFinishes();
  });

  it('a tool quoting a password in its error: the output shows *** instead', async () => {
    const r = await deploy([
      { bin: 'helm', match: 'template', exit: 1, stderr: `Error: YAML parse error on line 40: secret: ${GUIDE_ENV.ADMIN_PASSWORD} channel: our-channel\n` },
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('│ Error: YAML parse error on line 40: secret: *** channel: our-channel');
    expect(r.stderr).not.toContain(GUIDE_ENV.ADMIN_PASSWORD);
  });

  it('an object that already exists outside the release', async () => {
    const r = await deploy([
      {
        bin: 'helm',
        match: 'upgrade',
        exit: 1,
        stderr: 'Error: rendered manifests contain a resource that already exists. Unable to continue with install: Secret "backend-add-account" in namespace "substra" exists and cannot be imported into the current release\n',
      },
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('hint: an object of that name already exists outside this release');
    await expectRerunFinishes();
  });

  it('forbidden to create Secrets: stops before changing anything', async () => {
    const r = await deploy([{ bin: 'kubectl', match: 'auth can-i create secrets', exit: 1, stdout: 'no\n' }]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('step "Check permission to create secrets" failed');
    expect(r.stderr).toContain('hint: your account may not do this here');
    expect(standIns.calls().some((c) => c.argv[0] === 'apply' || c.argv[0] === 'upgrade')).toBe(false);
    await expectRerunFinishes();
  });

  it('kubectl apply forbidden by the API server', async () => {
    const r = await deploy([
      { bin: 'kubectl', match: 'apply', exit: 1, stderr: 'Error from server (Forbidden): secrets is forbidden: User "dev" cannot create resource "secrets" in API group "" in the namespace "substra"\n' },
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('step "Put the orchestrator CA in Secret orchestrator-cacert" failed: kubectl exited 1');
    expect(r.stderr).toContain('hint: your account may not do this here');
    await expectRerunFinishes();
  });

  it('helm hanging past --timeout is stopped and named', async () => {
    const started = Date.now();
    const r = await deploy([{ bin: 'helm', match: 'upgrade', hang: true }], ['--timeout', '1s']);
    expect(r.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(r.stderr).toContain('failed: timed out after 2s');
    expect(r.stderr).toContain('hint: helm did not finish in time');
    await expectRerunFinishes();
  });

  it('a missing kubectl', async () => {
    const onlyHelm = new StandIns(['helm']);
    // Only node beside the helm stand-in: no kubectl anywhere on PATH.
    const nodeOnly = path.join(onlyHelm.dir, 'node-only');
    mkdirSync(nodeOnly);
    symlinkSync(process.execPath, path.join(nodeOnly, 'node'));
    const r = await runMain(deployArgs(), {
      cwd: work,
      env: { ...onlyHelm.env(), PATH: `${onlyHelm.bin}:${nodeOnly}` },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('step "Check kubectl" failed: kubectl was not found');
    expect(r.stderr).toContain('hint: kubectl is not on PATH: install kubectl');
    await expectRerunFinishes();
  });

  it('a --kube-context that does not exist (kubectl says "context NAME not found"): the context hint', async () => {
    const r = await deploy([{ bin: 'kubectl', match: 'config get-contexts prod', exit: 1, stderr: 'error: context prod not found\n' }], ['--kube-context', 'prod']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('step "Check kube context prod" failed');
    expect(r.stderr).toContain('hint: no usable kube context: list them with `kubectl config get-contexts` and pass --kube-context NAME');
  });

  it('kubectl apply answering AlreadyExists (another run created the object meanwhile): says to run again, not to annotate it for helm', async () => {
    const r = await deploy([
      { bin: 'kubectl', match: 'apply', exit: 1, stderr: 'Error from server (AlreadyExists): error when creating "STDIN": secrets "orchestrator-cacert" already exists\n' },
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('hint: another run created it at the same moment: run the same command again (kubectl apply updates an object that exists)');
    expect(r.stderr).not.toContain('meta.helm.sh/release-name');
    await expectRerunFinishes();
  });

  it('a repository name already used for another URL', async () => {
    const r = await deploy([{ bin: 'helm', match: 'repo add', exit: 1, stderr: 'Error: repository name (substra) already exists, please specify a different name\n' }]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('hint: a repository with this name points at another URL: pass --repo-name');
    await expectRerunFinishes();
  });
});

/** The real kubectl (no cluster here) beside a helm stand-in that passes to the real helm. */
function withRealKubectl(kubeconfig: (dir: string) => string): Record<string, string> {
  const helmOnly = new StandIns(['helm']);
  const bin = path.join(helmOnly.dir, 'with-real-kubectl');
  mkdirSync(bin);
  symlinkSync(path.join(TOOLS, 'kubectl'), path.join(bin, 'kubectl'));
  return { ...helmOnly.env(), PATH: `${helmOnly.bin}:${bin}:${nodeDir(helmOnly)}`, KUBECONFIG: kubeconfig(helmOnly.dir) };
}

describe('failures of the real binaries', () => {
  it('the real kubectl with no kube context: stops at the context check with a hint', async () => {
    const r = await runMain(deployArgs(), { cwd: work, env: withRealKubectl((dir) => path.join(dir, 'no-kubeconfig')) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('step "Check the current kube context" failed: kubectl exited 1');
    expect(r.stderr).toContain('current-context is not set');
    expect(r.stderr).toContain('hint: no usable kube context');
  });

  it('the real kubectl with a cluster that refuses connections: stops at the cluster check', async () => {
    // A loopback port just freed: nothing listens, the connection is refused at once.
    const port = await freePort();
    const kubeconfig = path.join(tempDir(), 'kubeconfig');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:${port}"}}]\ncontexts: [{name: test, context: {cluster: c, user: u}}]\ncurrent-context: test\nusers: [{name: u, user: {}}]\n`,
    );
    const r = await runMain(deployArgs(), { cwd: work, env: withRealKubectl(() => kubeconfig) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('step "Check that the cluster answers" failed');
    expect(r.stderr).toContain('hint: the cluster does not answer');
  });
});
