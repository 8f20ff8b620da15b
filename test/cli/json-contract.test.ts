import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeCertificates } from '../helpers/certs.js';
import { sharedChartRepository } from '../helpers/chart-repo.js';
import { GUIDE_ENV, GUIDE_FLAGS, tempDir, type RunResult } from '../helpers/cli.js';
import { fixture } from '../helpers/golden.js';
import { runMain } from '../helpers/in-process.js';
import { StandIns } from '../helpers/standins.js';

/**
 * The --json contract: whatever happens, stdout is exactly one JSON document — the command,
 * ok, its errors and warnings — and every line for people goes to stderr.
 */
interface JsonDocument {
  command: string;
  ok: boolean;
  errors: Array<{ path?: string; message: string; hint?: string }>;
  warnings: Array<{ path: string; message: string }>;
  [field: string]: unknown;
}

const SECRETS = Object.values(GUIDE_ENV);
let dir: string;
const env = (extra: Record<string, string> = {}) => ({ PATH: process.env.PATH, HOME: process.env.HOME, ...GUIDE_ENV, ...extra });
const run = (args: string[], extra: Record<string, string> = {}) => runMain(args, { cwd: dir, env: env(extra) });

/** Parses stdout whole (so anything beside the document fails) and checks the frame every document has. */
function theDocument(r: RunResult, command: string, exitCode: number): JsonDocument {
  let doc: JsonDocument | undefined;
  expect(() => (doc = JSON.parse(r.stdout) as JsonDocument), `stdout is not one JSON document:\n${r.stdout}\nstderr:\n${r.stderr}`).not.toThrow();
  expect(r.code, r.stderr).toBe(exitCode);
  expect(doc).toMatchObject({ command, ok: exitCode === 0, errors: expect.any(Array), warnings: expect.any(Array) });
  expect(doc!.errors.length > 0, JSON.stringify(doc!.errors)).toBe(exitCode !== 0);
  for (const secret of SECRETS) expect(r.stdout + r.stderr).not.toContain(secret);
  return doc!;
}

const VALID_VALUES = (password = GUIDE_ENV.ADMIN_PASSWORD) => `organizationName: ingen
config:
  ALLOWED_HOSTS: '[".cluster-1.example.com"]'
server:
  defaultDomain: https://api.cluster-1.example.com:443
  commonHostDomain: cluster-1.example.com
  ingress: {enabled: true, hostname: api.cluster-1.example.com}
orchestrator:
  host: orchestrator.cluster-1.example.com
  port: 443
  mspID: ingen
  channels:
    - our-channel: {restricted: false, model_export_enabled: true, chaincode: {name: mycc}}
  tls: {enabled: true, cacert: orchestrator-cacert}
addAccountOperator:
  users:
    - {name: admin, secret: ${password}, channel: our-channel}
`;

beforeEach(() => {
  dir = tempDir('json-');
});

describe('init --json', () => {
  it('one document whether it writes the file or refuses the settings, the command line or the --values file', async () => {
    const written = theDocument(await run([...GUIDE_FLAGS, '--json']), 'init', 0);
    expect(written).toMatchObject({ written: true, mode: '0600', file: path.join(dir, 'backend-values.yaml') });

    dir = tempDir('json-');
    const weak = theDocument(await run([...GUIDE_FLAGS, '--json'], { ADMIN_PASSWORD: 'short-Pass-1' }), 'init', 1);
    expect(weak.errors).toEqual([{ path: 'addAccountOperator.users[0].secret', message: expect.stringContaining('at least 20 characters') }]);

    expect(theDocument(await run(['init', '--json', '--bogus']), 'init', 2).errors).toEqual([{ message: expect.stringContaining("unknown option '--bogus'") }]);
    const missing = theDocument(await run(['init', '--non-interactive', '--json']), 'init', 2);
    expect(missing.errors.map((e) => e.message)).toContain('missing --organization (required when not interactive), or set SUBSTRA_ORGANIZATION');
    expect(theDocument(await run(['init', '--json', '--chart-version', 'latest']), 'init', 2).errors[0]?.message).toMatch(/^--chart-version "latest"/);

    writeFileSync(path.join(dir, 'bad.yaml'), 'a: [1, 2\nb: 3\n');
    const unreadable = theDocument(await run(['init', '--values', 'bad.yaml', '--non-interactive', '--json']), 'init', 2);
    expect(unreadable.errors[0]?.message).toMatch(/^bad\.yaml:\d+:\d+: YAML syntax error/);
  });

  it('--deploy --dry-run: the plan and the CA-expiry warning inside the one document, no `$ ` lines on stdout', async () => {
    const certs = makeCertificates(365, undefined, 10);
    const r = await run([...GUIDE_FLAGS, '--deploy', '--dry-run', '--json', '--orchestrator-ca-cert', certs.ca]);
    const doc = theDocument(r, 'init', 0);
    const deploy = doc.deploy as { dryRun: boolean; steps: Array<{ id: string; line: string }> };
    expect(deploy.dryRun).toBe(true);
    expect(deploy.steps.at(-1)?.line).toMatch(/^helm upgrade --install backend substra\/substra-backend --version 26\.15\.3 --values /);
    expect(doc.warnings).toEqual([{ path: `--orchestrator-ca-cert ${certs.ca}`, message: expect.stringMatching(/^expires on \d{4}-\d\d-\d\d, in (9|10) days$/) }]);
    expect(r.stderr).toMatch(/warning: --orchestrator-ca-cert .*: expires on/);
  });
});

describe('validate --json', () => {
  it('valid, invalid, and not YAML', async () => {
    writeFileSync(path.join(dir, 'good.yaml'), VALID_VALUES());
    expect(theDocument(await run(['validate', 'good.yaml', '--json']), 'validate', 0)).toMatchObject({ file: path.join(dir, 'good.yaml'), chartVersion: '26.15.3' });
    writeFileSync(path.join(dir, 'weak.yaml'), VALID_VALUES('password'));
    expect(theDocument(await run(['validate', 'weak.yaml', '--json']), 'validate', 1).errors[0]).toMatchObject({ path: 'addAccountOperator.users[0].secret' });
    writeFileSync(path.join(dir, 'tab.yaml'), 'a:\n\tb: 1\n');
    expect(theDocument(await run(['validate', 'tab.yaml', '--json']), 'validate', 2).errors[0]?.message).toMatch(/^tab\.yaml:2:1: YAML syntax error/);
    expect(theDocument(await run(['validate', '--json']), 'validate', 2).errors[0]?.message).toMatch(/missing required argument 'file'/);
  });
});

describe('migrate --json', () => {
  it('what it rewrote, then a missing --from and a file the target chart refuses', async () => {
    writeFileSync(path.join(dir, 'good.yaml'), VALID_VALUES());
    const doc = theDocument(await run(['migrate', 'good.yaml', '--from', '26.0.0', '--dry-run', '--json']), 'migrate', 0);
    expect(doc).toMatchObject({ file: path.join(dir, 'good.yaml'), from: '26.0.0', to: '26.15.3', written: false, rewrites: expect.any(Array) });
    expect(theDocument(await run(['migrate', 'good.yaml', '--json']), 'migrate', 2).errors[0]?.message).toMatch(/^missing --from/);
    writeFileSync(path.join(dir, 'weak.yaml'), VALID_VALUES('password'));
    expect(theDocument(await run(['migrate', 'weak.yaml', '--from', '26.0.0', '--json']), 'migrate', 1).errors[0]).toMatchObject({ path: 'weak.yaml: addAccountOperator.users[0].secret' });
  });
});

describe('frontend --json', () => {
  it('what it would write, then a missing setting', async () => {
    writeFileSync(path.join(dir, 'backend-values.yaml'), fixture('values/realistic.yaml'));
    const host = 'substra.cluster-1.example.com';
    const doc = theDocument(await run(['frontend', '--backend-values', 'backend-values.yaml', '--host', host, '--tls-secret', 'substra-tls', '--dry-run', '--json']), 'frontend', 0);
    expect(doc).toMatchObject({ dryRun: true, origin: `https://${host}`, written: ['frontend-values.yaml', 'backend-values.yaml'] });
    const missing = theDocument(await run(['frontend', '--backend-values', 'backend-values.yaml', '--non-interactive', '--json']), 'frontend', 2);
    expect(missing.errors.map((e) => e.message)).toContain("missing --host (the frontend host, under the backend's server.commonHostDomain; required when not interactive) [env: SUBSTRA_FRONTEND_HOST]");
  });
});

describe('deploy --json', () => {
  beforeEach(() => writeFileSync(path.join(dir, 'backend-values.yaml'), VALID_VALUES()));

  it('--dry-run: the steps as command lines inside the document', async () => {
    const doc = theDocument(await run(['deploy', '--values', 'backend-values.yaml', '--dry-run', '--json', '--namespace', 'substra']), 'deploy', 0);
    expect(doc).toMatchObject({ dryRun: true, chartVersion: '26.15.3' });
    expect((doc.steps as Array<{ line: string }>).map((s) => s.line)).toContain('helm repo add substra https://substra.github.io/charts/');
  });

  it('a step that fails: the steps so far, the error and its hint', async () => {
    const empty = tempDir('no-tools-');
    const doc = theDocument(await run(['deploy', '--values', 'backend-values.yaml', '--json'], { PATH: empty }), 'deploy', 1);
    expect(doc.steps).toEqual([{ id: 'helm-version', title: expect.any(String), status: 'failed', line: "helm version --template '{{.Version}}'" }]);
    expect(doc.errors).toEqual([{ message: expect.stringContaining('helm was not found'), hint: expect.any(String) }]);
  });

  it('settings the backend would refuse, and a missing --values', async () => {
    writeFileSync(path.join(dir, 'weak.yaml'), VALID_VALUES('password'));
    expect(theDocument(await run(['deploy', '--values', 'weak.yaml', '--dry-run', '--json']), 'deploy', 1).errors[0]).toMatchObject({ path: 'addAccountOperator.users[0].secret' });
    expect(theDocument(await run(['deploy', '--json']), 'deploy', 2).errors).toEqual([{ message: "required option '--values <file>' not specified" }]);
  });
});

describe('deploy --json against a real chart repository', () => {
  const repo = sharedChartRepository();

  it('a deployment that runs: every step done, in the document', async () => {
    writeFileSync(path.join(dir, 'backend-values.yaml'), VALID_VALUES());
        const certs = makeCertificates();
    const standIns = new StandIns();
    const r = await runMain(['deploy', '--values', 'backend-values.yaml', '--repo-url', repo.url, '--orchestrator-ca-cert', certs.ca, '--json'], { cwd: dir, env: standIns.env() });
    const doc = theDocument(r, 'deploy', 0);
    expect(doc).toMatchObject({ dryRun: false, chartVersion: '26.15.3' });
    const steps = doc.steps as Array<{ id: string; status: string }>;
    expect(steps.every((s) => s.status === 'done')).toBe(true);
    expect(steps.at(-1)?.id).toBe('install');
  });
});

describe('link and network --json', () => {
  async function backends(): Promise<void> {
    for (const org of ['ingen', 'tyrell']) {
      const r = await run(['init', '--organization', org, '--host-domain', `${org}.example.com`, '--orchestrator-host', 'orch.example.com', '--channel', 'shared', '--user', 'admin', '--generate-passwords', '-o', `${org}.yaml`]);
      expect(r.code, r.stderr).toBe(0);
    }
  }

  it('link: the links made, then the refusals', async () => {
    await backends();
    const doc = theDocument(await run(['link', 'ingen.yaml', 'tyrell.yaml', '--json']), 'link', 0);
    expect(doc).toMatchObject({ organizations: 2, created: 4, written: ['ingen.yaml', 'tyrell.yaml'] });
    expect(theDocument(await run(['link', 'ingen.yaml', 'ingen.yaml', '--json']), 'link', 2).errors).toEqual([{ message: 'link: a file is named twice' }]);
    expect(theDocument(await run(['link', 'ingen.yaml', 'missing.yaml', '--json']), 'link', 2).errors).toEqual([{ message: 'values file missing.yaml: does not exist' }]);
    expect(theDocument(await run(['link', 'ingen.yaml', '--channel', 'shared', '--json']), 'link', 2).errors[0]?.message).toMatch(/^--channel: link entries name no channel/);
  });

  it('network: what it wrote, then a spec it refuses', async () => {
    writeFileSync(
      path.join(dir, 'network.yaml'),
      'orchestrator: {host: orchestrator.example.com}\nchannels:\n  - {name: shared, members: [ingen, tyrell]}\norganizations:\n  - {name: ingen, domain: ingen.example.com, users: [{name: admin}]}\n  - {name: tyrell, domain: tyrell.example.com}\n',
    );
    mkdirSync(path.join(dir, 'out'));
    const doc = theDocument(await run(['network', 'network.yaml', '--output-dir', 'out', '--json']), 'network', 0);
    expect(doc).toMatchObject({ dryRun: false, written: ['out/ingen-values.yaml', 'out/tyrell-values.yaml', 'out/orchestrator-values.yaml'], generated: ['ingen/admin'] });
    writeFileSync(path.join(dir, 'typo.yaml'), readFileSync(path.join(dir, 'network.yaml'), 'utf8').replace('channels:', 'chanels:'));
    const refused = theDocument(await run(['network', 'typo.yaml', '--json']), 'network', 1);
    expect(refused.errors.map((e) => e.path)).toContain('typo.yaml: chanels');
  });
});

describe('verify --json', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/active-api-tokens/') {
        res.writeHead(401, { 'Content-Type': 'application/json' }).end(JSON.stringify({ detail: 'Authentication credentials were not provided.' }));
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('a backend that answers, then one that is not there, then a malformed --url', async () => {
    expect(theDocument(await run(['verify', '--url', url, '--json']), 'verify', 0)).toMatchObject({ url, checks: [{ check: 'backend answers', ok: true }] });
    const notThere = theDocument(await run(['verify', '--url', `${url}/elsewhere/`, '--json']), 'verify', 1);
    expect(notThere).toMatchObject({ url, checks: [] });
    expect(notThere.errors).toEqual([{ message: `${url} answered 404, not 401 "Authentication credentials were not provided."`, hint: expect.stringContaining('the ingress answers but the backend does not') }]);
    expect(theDocument(await run(['verify', '--url', 'nowhere', '--json']), 'verify', 2).errors[0]?.message).toMatch(/^--url "nowhere": must be a URL/);
  });
});

describe('stderr', () => {
  it('starts every error with `error:`, as commander does', async () => {
    const lines = [
      (await run(['init', '--bogus'])).stderr,
      (await run(['init', '--non-interactive'])).stderr,
      (await run(['validate', 'missing.yaml'])).stderr,
      (await run(['deploy', '--values', 'missing.yaml'])).stderr,
    ].map((e) => e.split('\n')[0]);
    for (const line of lines) expect(line).toMatch(/^error: /);
  });
});
