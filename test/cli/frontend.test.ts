import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { baseEnv, FIXTURE_CHART, GUIDE_ENV, GUIDE_FLAGS, ROOT, run, tempDir, TOOLS } from '../helpers/cli.js';
import { fixture } from '../helpers/golden.js';
import { runMain, scriptedPrompter } from '../helpers/in-process.js';

const FRONTEND_CHART = path.join(ROOT, 'test', 'fixtures', 'charts', 'substra-frontend');
const HOST = 'substra.cluster-1.example.com';
const ORIGIN = `https://${HOST}`;
const REALISTIC = fixture('values/realistic.yaml');
/** The secrets realistic.yaml holds: none may appear in any output. */
const REALISTIC_SECRETS = ['Kx7pQ2mVn9wRt4bYz6cLh3', 'Wm4nTq8rVb2xPz6kLc9dHj', 'Zq3wX7eR9tY2uI5oP8aS1dF', 'Hj6kL9zX2cV5bN8mQ1wE4rT', 'pg-password'];

type K8sObject = { kind: string; metadata: { name: string; annotations?: Record<string, string> }; data?: Record<string, string>; spec?: any };

async function render(chart: string, release: string, valuesFile: string): Promise<K8sObject[]> {
  const r = await run(path.join(TOOLS, 'helm'), ['template', release, chart, '--values', valuesFile]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return parseAllDocuments(r.stdout).map((d) => d.toJS() as K8sObject).filter(Boolean);
}

let dir: string;
const file = (name: string) => path.join(dir, name);
const frontend = (...args: string[]) => runMain(['frontend', '--backend-values', 'backend-values.yaml', ...args], { cwd: dir });

beforeEach(() => {
  dir = tempDir();
  writeFileSync(file('backend-values.yaml'), REALISTIC);
});

describe('frontend: the values the real helm renders, and the backend that agrees with them', () => {
  let frontendObjects: K8sObject[];
  let backendObjects: K8sObject[];
  let guide: string;

  beforeAll(async () => {
    guide = tempDir();
    const init = await runMain(GUIDE_FLAGS, { cwd: guide, env: baseEnv(GUIDE_ENV) });
    expect(init.code).toBe(0);
    const r = await runMain(['frontend', '--backend-values', 'backend-values.yaml', '--host', HOST, '--cluster-issuer', 'letsencrypt-prod', '--ingress-class', 'nginx'], { cwd: guide });
    expect(r.stderr).toContain(`wrote frontend-values.yaml and backend-values.yaml: the frontend at ${ORIGIN} calls https://api.cluster-1.example.com`);
    expect(r.code).toBe(0);
    frontendObjects = await render(FRONTEND_CHART, 'frontend', path.join(guide, 'frontend-values.yaml'));
    backendObjects = await render(FIXTURE_CHART, 'backend', path.join(guide, 'backend-values.yaml'));
  });

  it('creates the Ingress (enabled, which the guide forgets) for the host on path /, its class and cert-manager as annotations, TLS for the host', () => {
    const ingress = frontendObjects.find((o) => o.kind === 'Ingress')!;
    expect(ingress.metadata.annotations).toEqual({ 'kubernetes.io/ingress.class': 'nginx', 'cert-manager.io/cluster-issuer': 'letsencrypt-prod' });
    expect(ingress.spec.rules).toEqual([
      { host: HOST, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'frontend-frontend', port: { number: 80 } } } }] } },
    ]);
    expect(ingress.spec.tls).toEqual([{ hosts: [HOST], secretName: 'substra-cluster-1-example-com-tls' }]);
  });

  it("points the page at the backend's public host over https, which the backend's ingress routes and ALLOWED_HOSTS covers", () => {
    const page = frontendObjects.find((o) => o.metadata.name === 'frontend-frontend-index')!.data!;
    expect(page['index-config.js']).toBe("window.API_URL = 'https://api.cluster-1.example.com'");
    const api = new URL(page.API_URL!);
    expect(api.protocol).toBe('https:');
    expect(backendObjects.find((o) => o.kind === 'Ingress')!.spec.rules[0].host).toBe(api.hostname);
    const settings = backendObjects.find((o) => o.metadata.name === 'backend-settings')!.data!;
    expect(JSON.parse(settings.ALLOWED_HOSTS!)).toEqual(['.cluster-1.example.com']);
  });

  it("gives the backend the frontend's origin in CORS with credentials and in CSRF, and a cookie domain that holds the frontend host", () => {
    const settings = backendObjects.find((o) => o.metadata.name === 'backend-settings')!.data!;
    const frontendHost = frontendObjects.find((o) => o.kind === 'Ingress')!.spec.rules[0].host as string;
    expect(JSON.parse(settings.CORS_ORIGIN_WHITELIST!)).toEqual([`https://${frontendHost}`]);
    expect(settings.CORS_ALLOW_CREDENTIALS).toBe('true');
    expect(JSON.parse(settings.CSRF_TRUSTED_ORIGINS!)).toEqual([`https://${frontendHost}`]);
    expect(frontendHost.endsWith(`.${settings.COMMON_HOST_DOMAIN}`)).toBe(true);
  });

  it('passes validate --frontend', async () => {
    const r = await runMain(['validate', 'backend-values.yaml', '--frontend', 'frontend-values.yaml'], { cwd: guide });
    expect(r.stderr).toBe(`✔ ${path.join(guide, 'backend-values.yaml')} is valid for substra-backend 26.15.3\n`);
    expect(r.code).toBe(0);
  });
});

describe("frontend's edit of the backend file", () => {
  it('adds only the three config lines: every other byte (comments, anchors, flow maps, quoting) is kept', async () => {
    const r = await frontend('--host', HOST, '--tls-secret', 'substra-tls');
    expect(r.code).toBe(0);
    const line = '  CUSTOM_FLAG: "on"  # must stay a string\n';
    expect(readFileSync(file('backend-values.yaml'), 'utf8')).toBe(
      REALISTIC.replace(
        line,
        `${line}  CORS_ORIGIN_WHITELIST: '["${ORIGIN}"]'\n  CSRF_TRUSTED_ORIGINS: '["${ORIGIN}"]'\n  CORS_ALLOW_CREDENTIALS: "true"\n`,
      ),
    );
  });

  it('keeps the origins already listed, and a credentials value the backend already reads as true', async () => {
    const before = REALISTIC.replace(
      '  CUSTOM_FLAG',
      `  CORS_ORIGIN_WHITELIST: '["https://old.cluster-1.example.com", "${ORIGIN}"]'\n  CORS_ALLOW_CREDENTIALS: "True"\n  CSRF_TRUSTED_ORIGINS: '["https://old.cluster-1.example.com"]'\n  CUSTOM_FLAG`,
    );
    writeFileSync(file('backend-values.yaml'), before);
    const r = await frontend('--host', HOST, '--tls-secret', 'substra-tls');
    expect(r.code).toBe(0);
    expect(readFileSync(file('backend-values.yaml'), 'utf8')).toBe(
      before.replace(`'["https://old.cluster-1.example.com"]'`, `'["https://old.cluster-1.example.com","${ORIGIN}"]'`),
    );
  });

  it('changes nothing on a second run, which reads host and TLS back from the frontend file', async () => {
    expect((await frontend('--host', HOST, '--cluster-issuer', 'letsencrypt-prod')).code).toBe(0);
    const backendBefore = readFileSync(file('backend-values.yaml'), 'utf8');
    const frontendBefore = readFileSync(file('frontend-values.yaml'), 'utf8');
    const again = await frontend();
    expect(again.stderr).toContain('already agree');
    expect(again.code).toBe(0);
    expect(readFileSync(file('backend-values.yaml'), 'utf8')).toBe(backendBefore);
    expect(readFileSync(file('frontend-values.yaml'), 'utf8')).toBe(frontendBefore);
  });

  it('with --dry-run shows the config lines it would add, no secret of the file, and writes nothing', async () => {
    const r = await frontend('--host', HOST, '--tls-secret', 'substra-tls', '--dry-run', '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`+   CORS_ORIGIN_WHITELIST: '["${ORIGIN}"]'`);
    expect(r.stderr).toContain('would write frontend-values.yaml and backend-values.yaml');
    expect(JSON.parse(r.stdout)).toMatchObject({ command: 'frontend', ok: true, dryRun: true, apiUrl: 'https://api.cluster-1.example.com', origin: ORIGIN });
    for (const secret of REALISTIC_SECRETS) expect(r.stdout + r.stderr).not.toContain(secret);
    expect(readFileSync(file('backend-values.yaml'), 'utf8')).toBe(REALISTIC);
    expect(() => readFileSync(file('frontend-values.yaml'))).toThrow();
  });
});

describe('frontend refuses', () => {
  it('a host outside server.commonHostDomain, where the login cookies cannot reach it (exit 1, nothing written)', async () => {
    const r = await frontend('--host', 'substra.example.org', '--tls-secret', 'substra-tls');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'frontend-values.yaml: ingress.hosts[0].host: "substra.example.org" is not under server.commonHostDomain "cluster-1.example.com": the backend sets the login cookies for cluster-1.example.com, so the page cannot read them',
    );
    expect(r.stderr).toContain('nothing was written');
    expect(readFileSync(file('backend-values.yaml'), 'utf8')).toBe(REALISTIC);
    expect(() => readFileSync(file('frontend-values.yaml'))).toThrow();
  });

  it('a backend without a public host: the browser has nothing to call', async () => {
    writeFileSync(file('backend-values.yaml'), REALISTIC.replace('    enabled: true\n    hostname', '    enabled: false\n    hostname'));
    const r = await frontend('--host', HOST, '--tls-secret', 'substra-tls');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('backend-values.yaml: server.ingress.hostname: is set but the ingress is off (server.ingress.enabled)');
  });

  it('to run without its settings when not interactive, naming every missing one at once (exit 2)', async () => {
    const r = await runMain(['frontend'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing --backend-values');
    expect(r.stderr).toContain('missing --host');
    expect(r.stderr).toContain('missing --tls-secret or --cluster-issuer (the frontend must be served over https');
  });
});

describe('frontend in a terminal', () => {
  it("asks for the host (offering one under the cookie domain) and where the certificate comes from", async () => {
    const prompter = scriptedPrompter([
      ['Frontend host', undefined],
      ['The frontend is served over https', 'issuer'],
      ['ClusterIssuer name', 'letsencrypt-staging'],
    ]);
    const r = await runMain(['frontend', '--backend-values', 'backend-values.yaml'], { cwd: dir, prompter, tty: true });
    expect(r.code).toBe(0);
    expect(prompter.asked).toEqual(['Frontend host', 'The frontend is served over https: where does its certificate come from?', 'ClusterIssuer name']);
    const values = readFileSync(file('frontend-values.yaml'), 'utf8');
    expect(values).toContain(`- host: ${HOST}`);
    expect(values).toContain('cert-manager.io/cluster-issuer: letsencrypt-staging');
  });
});

describe('validate BACKEND --frontend FILE', () => {
  it("reports each thing that keeps the guide's frontend values from working with the backend, by file and path", async () => {
    writeFileSync(
      file('frontend-values.yaml'),
      ['api:', '  url: http://api.example.org', 'ingress:', '  hosts:', '    - host: substra.example.org', '      paths: []', ''].join('\n'),
    );
    const r = await runMain(['validate', 'backend-values.yaml', '--frontend', 'frontend-values.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n');
    for (const expected of [
      'frontend-values.yaml: ingress.enabled: is not true: the chart creates no Ingress',
      'frontend-values.yaml: api.url: is http: the backend (settings: prod) marks its login cookies Secure',
      'frontend-values.yaml: api.url: host "api.example.org" is not the backend\'s public host "api.cluster-1.example.com" (server.ingress.hostname)',
      'config.ALLOWED_HOSTS: does not cover "api.example.org", the host the frontend calls the API at (api.url)',
      'frontend-values.yaml: ingress.hosts[0].paths: is empty: the rule routes nothing to the frontend',
      'frontend-values.yaml: ingress.hosts[0].host: "substra.example.org" is not under server.commonHostDomain "cluster-1.example.com"',
      'frontend-values.yaml: ingress.tls: does not cover "substra.example.org", so the page is served over http',
      'config.CORS_ALLOW_CREDENTIALS: is not true',
      'config.CORS_ORIGIN_WHITELIST: is not set: the browser blocks the frontend\'s calls to the API (CORS)',
    ]) {
      expect(lines.some((l) => l.startsWith(expected)), expected).toBe(true);
    }
  });
});
