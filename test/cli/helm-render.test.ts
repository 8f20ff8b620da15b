import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { accountsFromSecret, renderedAccounts } from '../helpers/backend-accounts.js';
import { baseEnv, FIXTURE_CHART, GUIDE_ENV, GUIDE_FLAGS, ROOT, run, tempDir, TOOLS } from '../helpers/cli.js';
import { runMain } from '../helpers/in-process.js';

/** The values init writes, rendered by the real helm binary through a chart that reads them like substra-backend. */
describe('helm template of the values init writes', () => {
  let objects: Array<{ kind: string; metadata: { name: string }; data?: Record<string, string>; stringData?: Record<string, string>; spec?: any }>;

  beforeAll(async () => {
    const dir = tempDir();
    const init = await runMain([...GUIDE_FLAGS, '--channel', 'yes', '--user', 'on,channel=yes,password-env=ON_PW'], {
      cwd: dir,
      env: baseEnv({ ...GUIDE_ENV, ON_PW: 'Another-strong-Passw0rd-here' }),
    });
    expect(init.stderr).toContain('wrote');
    expect(init.code).toBe(0);
    const rendered = await run(path.join(TOOLS, 'helm'), ['template', 'backend', FIXTURE_CHART, '--values', path.join(dir, 'backend-values.yaml')]);
    expect(rendered.stderr).toBe('');
    expect(rendered.code).toBe(0);
    objects = parseAllDocuments(rendered.stdout).map((d) => d.toJS()).filter(Boolean);
  });

  const find = (kind: string, name: string) => {
    const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
    if (!o) throw new Error(`no ${kind} ${name} rendered`);
    return o;
  };

  it('puts organization, domains and ALLOWED_HOSTS (a JSON list string) in the settings ConfigMap', () => {
    expect(find('ConfigMap', 'backend-settings').data).toEqual({
      DJANGO_SETTINGS_MODULE: 'backend.settings.prod',
      ORG_NAME: 'ingen',
      DEFAULT_DOMAIN: 'https://api.cluster-1.example.com:443',
      COMMON_HOST_DOMAIN: 'cluster-1.example.com',
      ALLOWED_HOSTS: '[".cluster-1.example.com"]',
    });
    expect(JSON.parse(find('ConfigMap', 'backend-settings').data!.ALLOWED_HOSTS!)).toEqual(['.cluster-1.example.com']);
  });

  it('replaces the chart default channel and mspID, and keeps a channel named "yes" a string', () => {
    const data = find('ConfigMap', 'backend-orchestrator').data!;
    expect(data).toMatchObject({ HOST: 'orchestrator.cluster-1.example.com', PORT: '443', TLS_ENABLED: 'true', MTLS_ENABLED: 'true', MSP_ID: 'ingen' });
    expect(JSON.parse(data.CHANNELS!)).toEqual([
      { 'our-channel': { restricted: false, model_export_enabled: true, chaincode: { name: 'mycc' } } },
      { yes: { restricted: false, model_export_enabled: false, chaincode: { name: 'mycc' } } },
    ]);
  });

  it('writes add-account lines that the sync Job reads back as the accounts asked for', () => {
    const accounts = accountsFromSecret(find('Secret', 'backend-add-account'));
    expect(accounts.users).toEqual(
      new Map([
        ['admin', { password: 'correct-Horse-battery-staple-42', channel: 'our-channel' }],
        ['on', { password: 'Another-strong-Passw0rd-here', channel: 'yes' }],
      ]),
    );
    expect(accounts.incoming).toEqual(new Map([['biotechnica', 'Zq3wX7eR9tY2uI5oP8aS1dF']]));
    expect(accounts.outgoing).toEqual(new Map([['biotechnica', 'Hj6kL9zX2cV5bN8mQ1wE4rT']]));
  });

  it('routes the ingress host and mounts the CA from a Secret (chart 26.x)', () => {
    expect(find('Ingress', 'backend-server').spec.rules[0].host).toBe('api.cluster-1.example.com');
    const volumes = find('Deployment', 'backend-server').spec.template.spec.volumes;
    expect(volumes).toEqual([
      { name: 'orchestrator-cacert', secret: { secretName: 'orchestrator-cacert' } },
      { name: 'orchestrator-client-cert', secret: { secretName: 'orchestrator-client-cert' } },
    ]);
  });

  it('exposes the backend over HTTPS: class, upload size and cert-manager TLS on the rendered Ingress', async () => {
    const dir = tempDir();
    const flags = GUIDE_FLAGS.filter((f, i, all) => f !== '--tls-secret' && all[i - 1] !== '--tls-secret');
    const r = await runMain([...flags, '--ingress-class', 'nginx', '--cluster-issuer', 'letsencrypt-prod'], { cwd: dir, env: baseEnv(GUIDE_ENV) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('warning');
    const rendered = await run(path.join(TOOLS, 'helm'), ['template', 'backend', FIXTURE_CHART, '--values', path.join(dir, 'backend-values.yaml')]);
    const ingress = parseAllDocuments(rendered.stdout).map((d) => d.toJS()).find((o) => o?.kind === 'Ingress');
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(ingress.metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/proxy-body-size': '100m', 'cert-manager.io/cluster-issuer': 'letsencrypt-prod' });
    expect(ingress.spec.tls).toEqual([{ hosts: ['api.cluster-1.example.com'], secretName: 'api-cluster-1-example-com-tls' }]);
  });

  it('warns that an https:// defaultDomain with no TLS on the ingress fails every peer', async () => {
    const dir = tempDir();
    const flags = GUIDE_FLAGS.filter((f, i, all) => f !== '--tls-secret' && all[i - 1] !== '--tls-secret');
    const r = await runMain(flags, { cwd: dir, env: baseEnv(GUIDE_ENV) });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('server.defaultDomain: is https://, but the ingress has no TLS for "api.cluster-1.example.com"');
  });

  it('writes the file 0600 because it holds secrets', async () => {
    const dir = tempDir();
    await runMain(GUIDE_FLAGS, { cwd: dir, env: baseEnv(GUIDE_ENV) });
    const { statSync } = await import('node:fs');
    expect(statSync(path.join(dir, 'backend-values.yaml')).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(dir, 'backend-values.yaml'), 'utf8')).toContain('organizationName: ingen');
  });
});

describe('names that look like numbers, read back through the real helm as written', () => {
  const channels = ['0o777', '0o17', '0x1F', '1_000', '1e3', '0777', '0b101', '08'];
  const users = ['.inf', '+12', '1e3', '0x_1F', '-0'];

  it('reach the ConfigMaps and the add-account Secret as the same strings', async () => {
    const dir = tempDir();
    const env: Record<string, string> = { ...GUIDE_ENV };
    const userFlags = users.flatMap((name, i) => {
      env[`PW_${i}`] = `Another-strong-Passw0rd-${i}x`;
      return ['--user', `${name},channel=0o777,password-env=PW_${i}`];
    });
    const init = await runMain(
      ['init', '--organization', '0o777', '--host-domain', 'cluster-1.example.com', '--orchestrator-host', 'orchestrator.cluster-1.example.com',
        ...channels.flatMap((c) => ['--channel', c]), ...userFlags],
      { cwd: dir, env },
    );
    expect(init.stderr).toContain('wrote');
    expect(init.code).toBe(0);
    const rendered = await run(path.join(TOOLS, 'helm'), ['template', 'backend', FIXTURE_CHART, '--values', path.join(dir, 'backend-values.yaml')]);
    expect(rendered.stderr).toBe('');
    const all = parseAllDocuments(rendered.stdout).map((d) => d.toJS()).filter(Boolean);
    const data = (kind: string, name: string) => all.find((o) => o.kind === kind && o.metadata.name === name);
    expect(data('ConfigMap', 'backend-settings').data.ORG_NAME).toBe('0o777');
    const orchestrator = data('ConfigMap', 'backend-orchestrator').data;
    expect(orchestrator.MSP_ID).toBe('0o777');
    expect(JSON.parse(orchestrator.CHANNELS).map((c: object) => Object.keys(c)[0])).toEqual(channels);
    const usersText = Buffer.from(data('Secret', 'backend-add-account').data.users, 'base64').toString();
    const lines = usersText.trim().split('\n').map((l: string) => l.split(' '));
    expect(lines.map((l: string[]) => l[0])).toEqual(users);
    expect(lines.every((l: string[]) => l[2] === '0o777')).toBe(true);
  });
});

describe('a hand-written file whose unquoted names helm reads as numbers', () => {
  it('is refused by validate at each such name, as helm really mangles them in the account lines', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'values.yaml');
    const text = readFileSync(path.join(ROOT, 'test/fixtures/values/realistic.yaml'), 'utf8')
      .replace('- name: admin\n', '- name: 0o17\n')
      .replace('incomingOrganizations:\n    - name: biotechnica', 'incomingOrganizations:\n    - name: 0x_1F');
    writeFileSync(file, text);
    const rendered = await run(path.join(TOOLS, 'helm'), ['template', 'backend', FIXTURE_CHART, '--values', file]);
    const secret = parseAllDocuments(rendered.stdout).map((d) => d.toJS()).find((o) => o?.kind === 'Secret');
    const accounts = accountsFromSecret(secret);
    expect([...accounts.users.keys()]).toContain('%!s(float64=15)');
    expect([...accounts.incoming.keys()]).toContain('%!s(float64=31)');

    const r = await runMain(['validate', file], { cwd: dir, env: baseEnv() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('addAccountOperator.users[0].name: must be a user name (it is a number; quote it)');
    expect(r.stderr).toContain("addAccountOperator.incomingOrganizations[0].name: must be the other organization's mspID (it is a number; quote it)");
  });
});

describe('secrets and names full of YAML indicators, valid for the newest chart', () => {
  it('reach the account lines through the real helm exactly as given', async () => {
    const dir = tempDir();
    const password = '#Horse:"battery"\'staple\'{42}&*x!y%z`q|>,[]?-é\\w';
    const incoming = '-Zq3wX7:eR9#tY2"u\'I5oP8\\aS1dFé';
    const outgoing = '@Hj6kL9zX2c&V5bN*8mQ1wE4rT%!';
    const init = await runMain(
      GUIDE_FLAGS.map((f) => (f === 'admin,channel=our-channel,password-env=ADMIN_PASSWORD' ? '@admin+ops.1,channel=our-channel,password-env=ADMIN_PASSWORD' : f)),
      { cwd: dir, env: baseEnv({ ADMIN_PASSWORD: password, BIO_IN: incoming, BIO_OUT: outgoing }) },
    );
    expect(init.stderr).toContain('wrote');
    expect(init.code).toBe(0);
    const accounts = await renderedAccounts(path.join(dir, 'backend-values.yaml'));
    expect(accounts.users.get('@admin+ops.1')).toEqual({ password, channel: 'our-channel' });
    expect(accounts.incoming.get('biotechnica')).toBe(incoming);
    expect(accounts.outgoing.get('biotechnica')).toBe(outgoing);

    // The same file on a chart whose Job reads the lines with bash and manage.py arguments.
    const old = await runMain(['validate', 'backend-values.yaml', '--chart-version', '26.11.0'], { cwd: dir, env: baseEnv() });
    expect(old.code).toBe(1);
    expect(old.stderr).toContain('addAccountOperator.users[0].secret: must not contain "\\": chart 26.11.0\'s account Job reads its lines with bash `read` without -r');
    expect(old.stderr).toContain('addAccountOperator.incomingOrganizations[0].secret: must not start with "-": chart 26.11.0\'s account Job passes it to manage.py');
    expect(old.stderr).not.toContain(incoming);
  });
});
