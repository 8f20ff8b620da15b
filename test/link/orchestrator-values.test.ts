import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_CHART, ROOT, run, tempDir, TOOLS } from '../helpers/cli.js';
import { runMain } from '../helpers/in-process.js';

const ORCHESTRATOR_CHART = path.join(ROOT, 'test', 'fixtures', 'charts', 'orchestrator');
const FRONTEND_CHART = path.join(ROOT, 'test', 'fixtures', 'charts', 'substra-frontend');

const SPEC = `orchestrator: {host: orchestrator.example.com, tls: true, mtls: true, ingressClass: nginx}
channels:
  - {name: shared, members: [ingen, biotechnica, tyrell], modelExport: true}
  - {name: pair, members: [ingen, biotechnica]}
  - {name: ingen-only, members: [ingen], restricted: true}
organizations:
  - {name: ingen, domain: ingen.example.com, users: [{name: admin, channel: shared}]}
  - {name: biotechnica, mspID: BiotechnicaMSP, domain: bio.example.com, users: [{name: admin, channel: pair}]}
  - {name: tyrell, domain: tyrell.example.com, clientCASecret: tyrell-corp-ca, users: [{name: admin}]}
`;

type K8sObject = { kind: string; metadata: { name: string; annotations?: Record<string, string> }; data?: Record<string, string>; spec?: any };

async function render(chart: string, release: string, valuesFile: string): Promise<K8sObject[]> {
  const r = await run(path.join(TOOLS, 'helm'), ['template', release, chart, '--values', valuesFile, '--namespace', release]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return parseAllDocuments(r.stdout).map((d) => d.toJS() as K8sObject).filter(Boolean);
}

const find = (objects: K8sObject[], kind: string) => {
  const found = objects.find((o) => o.kind === kind);
  if (!found) throw new Error(`no ${kind} rendered`);
  return found;
};

async function network(spec: string): Promise<string> {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'network.yaml'), spec);
  mkdirSync(path.join(dir, 'out'));
  const r = await runMain(['network', 'network.yaml', '--output-dir', 'out'], { cwd: dir });
  expect(r.stderr).toContain('orchestrator-values.yaml');
  expect(r.code).toBe(0);
  return path.join(dir, 'out');
}

describe("network writes the orchestrator chart's whole values, and the real helm renders them to agree with every backend", () => {
  let orchestrator: K8sObject[];
  let backends: Array<{ mspID: string; host: string; port: string; mtls: string; caSecret: string; channels: string[] }>;

  beforeAll(async () => {
    const out = await network(SPEC);
    orchestrator = await render(ORCHESTRATOR_CHART, 'orchestrator', path.join(out, 'orchestrator-values.yaml'));
    backends = await Promise.all(
      ['ingen', 'biotechnica', 'tyrell'].map(async (org) => {
        const objects = await render(FIXTURE_CHART, 'backend', path.join(out, `${org}-values.yaml`));
        const data = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'backend-orchestrator')!.data!;
        const volumes = find(objects, 'Deployment').spec.template.spec.volumes as Array<{ name: string; secret?: { secretName: string } }>;
        return {
          mspID: data.MSP_ID!,
          host: data.HOST!,
          port: data.PORT!,
          mtls: data.MTLS_ENABLED!,
          caSecret: volumes.find((v) => v.name === 'orchestrator-cacert')!.secret!.secretName,
          channels: (JSON.parse(data.CHANNELS!) as object[]).map((c) => Object.keys(c)[0] as string),
        };
      }),
    );
  });

  it('routes the host every backend calls, on the class given, with the TLS passthrough gRPC needs', () => {
    const ingress = find(orchestrator, 'Ingress');
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(ingress.metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/ssl-passthrough': 'true' });
    expect(ingress.spec.rules.map((r: { host: string }) => r.host)).toEqual(['orchestrator.example.com']);
    for (const backend of backends) {
      expect(backend.host).toBe('orchestrator.example.com');
      expect(backend.port).toBe('443');
      expect(backend.mtls).toBe('true');
    }
    // the probes ask the server certificate for the same name the backends dial
    const probe = find(orchestrator, 'Deployment').spec.template.spec.containers[0].startupProbe.exec.command as string[];
    expect(probe).toContain('-tls-server-name=orchestrator.example.com');
  });

  it('turns TLS, mTLS and the mspID check on, and mounts the server pair and the CA Secret the backends trust', () => {
    const env = orchestrator.find((o) => o.metadata.name === 'orchestrator-server-env')!.data!;
    expect(env).toMatchObject({ ORCHESTRATOR_TLS_ENABLED: 'true', ORCHESTRATOR_MTLS_ENABLED: 'true', ORCHESTRATOR_VERIFY_CLIENT_MSP_ID: 'true' });
    const volumes = find(orchestrator, 'Deployment').spec.template.spec.volumes as Array<{ name: string; secret?: { secretName: string } }>;
    expect(volumes.find((v) => v.name === 'server-pair')!.secret!.secretName).toBe('orchestrator-tls-server-pair');
    const ca = volumes.find((v) => v.name === 'server-cacert')!.secret!.secretName;
    for (const backend of backends) expect(backend.caSecret).toBe(ca);
  });

  it("mounts one client-CA Secret per organization, in a folder named by each backend's mspID", () => {
    const pod = find(orchestrator, 'Deployment').spec.template.spec;
    const folders = (pod.containers[0].volumeMounts as Array<{ name: string; mountPath: string }>)
      .filter((m) => m.mountPath.startsWith('/var/orchestrator/tls/client/'))
      .map((m) => ({ mspID: m.mountPath.slice('/var/orchestrator/tls/client/'.length), volume: m.name }));
    expect(folders.map((f) => f.mspID).sort()).toEqual(backends.map((b) => b.mspID).sort());
    const secretsOf = (volume: string) =>
      (pod.volumes.find((v: { name: string }) => v.name === volume).projected.sources as Array<{ secret: { name: string; items: unknown[] } }>).map((s) => s.secret);
    const byMspID = Object.fromEntries(folders.map((f) => [f.mspID, secretsOf(f.volume)]));
    expect(byMspID).toEqual({
      ingen: [{ name: 'ingen-client-ca', items: [{ key: 'ca.crt', path: 'ingen-client-ca.crt' }] }],
      BiotechnicaMSP: [{ name: 'biotechnicamsp-client-ca', items: [{ key: 'ca.crt', path: 'biotechnicamsp-client-ca.crt' }] }],
      tyrell: [{ name: 'tyrell-corp-ca', items: [{ key: 'ca.crt', path: 'tyrell-corp-ca.crt' }] }],
    });
  });

  it('lists as members of each channel exactly the backends that name it, by mspID', () => {
    const config = parse(orchestrator.find((o) => o.metadata.name === 'orchestrator-server-config')!.data!['config.yaml']!) as { channels: Record<string, string[]> };
    const expected: Record<string, string[]> = {};
    for (const backend of backends) for (const channel of backend.channels) (expected[channel] ??= []).push(backend.mspID);
    expect(config.channels).toEqual(expected);
    expect(Object.keys(config.channels)).toEqual(['shared', 'pair', 'ingen-only']);
  });
});

describe('a frontend for each organization of the network', () => {
  it("renders to call its own backend's public host, from an origin that backend's CORS allows with credentials", async () => {
    const out = await network(SPEC);
    for (const [org, domain] of [['ingen', 'ingen.example.com'], ['biotechnica', 'bio.example.com'], ['tyrell', 'tyrell.example.com']] as const) {
      const r = await runMain(
        ['frontend', '--backend-values', `${org}-values.yaml`, '--output', `${org}-frontend-values.yaml`, '--host', `substra.${domain}`, '--cluster-issuer', 'letsencrypt-prod'],
        { cwd: out },
      );
      expect(r.code, r.stderr).toBe(0);
      const frontend = await render(FRONTEND_CHART, 'frontend', path.join(out, `${org}-frontend-values.yaml`));
      const backend = await render(FIXTURE_CHART, 'backend', path.join(out, `${org}-values.yaml`));
      const settings = backend.find((o) => o.metadata.name === 'backend-settings')!.data!;
      const frontendHost = find(frontend, 'Ingress').spec.rules[0].host as string;
      const apiUrl = new URL(frontend.find((o) => o.kind === 'ConfigMap')!.data!.API_URL!);
      expect(apiUrl.hostname).toBe(find(backend, 'Ingress').spec.rules[0].host);
      expect(JSON.parse(settings.CORS_ORIGIN_WHITELIST!)).toEqual([`https://${frontendHost}`]);
      expect(settings.CORS_ALLOW_CREDENTIALS).toBe('true');
      expect(frontendHost.endsWith(`.${settings.COMMON_HOST_DOMAIN}`)).toBe(true);
    }
  });
});

describe('the orchestrator server certificate', () => {
  it('comes from cert-manager with clusterIssuer, into the tlsSecret the pod mounts, for the orchestrator host', async () => {
    const out = await network(SPEC.replace('ingressClass: nginx}', 'ingressClass: nginx, clusterIssuer: private-ca, tlsSecret: orchestrator-pair}'));
    const objects = await render(ORCHESTRATOR_CHART, 'orchestrator', path.join(out, 'orchestrator-values.yaml'));
    expect(find(objects, 'Certificate').spec).toMatchObject({
      secretName: 'orchestrator-pair',
      dnsNames: ['orchestrator.example.com'],
      issuerRef: { name: 'private-ca', kind: 'ClusterIssuer' },
    });
    const volumes = find(objects, 'Deployment').spec.template.spec.volumes as Array<{ name: string; secret?: { secretName: string } }>;
    expect(volumes.find((v) => v.name === 'server-pair')!.secret!.secretName).toBe('orchestrator-pair');
  });

  it('is not made by cert-manager once the network file drops clusterIssuer', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'network.yaml'), SPEC.replace('ingressClass: nginx}', 'ingressClass: nginx, clusterIssuer: private-ca}'));
    expect((await runMain(['network', 'network.yaml'], { cwd: dir })).code).toBe(0);
    writeFileSync(path.join(dir, 'network.yaml'), SPEC);
    expect((await runMain(['network', 'network.yaml'], { cwd: dir })).code).toBe(0);
    const objects = await render(ORCHESTRATOR_CHART, 'orchestrator', path.join(dir, 'orchestrator-values.yaml'));
    expect(objects.some((o) => o.kind === 'Certificate')).toBe(false);
  });
});

describe('an orchestrator values file written before (channels only)', () => {
  it('gains the rest in place, its comments and the keys the tool does not manage kept', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'network.yaml'), SPEC);
    const before = '# our orchestrator\npostgresql:\n  enabled: false   # an external database\nchannels: []\n';
    writeFileSync(path.join(dir, 'orchestrator-values.yaml'), before);
    const r = await runMain(['network', 'network.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    const text = readFileSync(path.join(dir, 'orchestrator-values.yaml'), 'utf8');
    expect(text.startsWith('# our orchestrator\npostgresql:\n  enabled: false   # an external database\n')).toBe(true);
    const values = parse(text);
    expect(values.ingress).toMatchObject({ enabled: true, hostname: 'orchestrator.example.com' });
    expect(Object.keys(values.orchestrator.tls.mtls.clientCACerts)).toEqual(['ingen', 'BiotechnicaMSP', 'tyrell']);
    const again = await runMain(['network', 'network.yaml'], { cwd: dir });
    expect(again.stderr).toContain('every file already matches the network file; nothing to write');
  });
});
