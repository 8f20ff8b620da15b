import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { accountsFromSecret } from '../helpers/backend-accounts.js';
import { baseEnv, FIXTURE_CHART, GUIDE_ENV, GUIDE_FLAGS, run, runCli, tempDir, TOOLS } from '../helpers/cli.js';

/** The values init writes, rendered by the real helm binary through a chart that reads them like substra-backend. */
describe('helm template of the values init writes', () => {
  let objects: Array<{ kind: string; metadata: { name: string }; data?: Record<string, string>; stringData?: Record<string, string>; spec?: any }>;

  beforeAll(async () => {
    const dir = tempDir();
    const init = await runCli([...GUIDE_FLAGS, '--channel', 'yes', '--user', 'on,channel=yes,password-env=ON_PW'], {
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
      { 'our-channel': { restricted: false, model_export_enabled: true } },
      { yes: { restricted: false, model_export_enabled: false } },
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

  it('writes the file 0600 because it holds secrets', async () => {
    const dir = tempDir();
    await runCli(GUIDE_FLAGS, { cwd: dir, env: baseEnv(GUIDE_ENV) });
    const { statSync } = await import('node:fs');
    expect(statSync(path.join(dir, 'backend-values.yaml')).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(dir, 'backend-values.yaml'), 'utf8')).toContain('organizationName: ingen');
  });
});
