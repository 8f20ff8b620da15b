import { describe, expect, it } from 'vitest';
import type { PartialAnswers } from '../../src/core/answers.js';
import { chartProfile } from '../../src/core/chart.js';
import { completeAnswers } from '../../src/core/complete-answers.js';
import { checkPasswordsInProcess } from '../../src/core/validate.js';
import { askGaps, fillDefaults, type InitContext, type InitFlags } from '../../src/commands/init.js';
import { scriptedPrompter } from '../helpers/in-process.js';

/** Frozen all the way down: a step that writes into what it was given throws. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

const flags: InitFlags = { settings: {}, lists: {}, removals: {} };
const given: PartialAnswers = {
  organization: 'ingen', hostDomain: 'example.com', ingress: true,
  orchestratorHost: 'orchestrator.example.com', sameCluster: false, tls: false,
  channels: [{ name: 'c1', restricted: false, modelExport: false }], users: [], incoming: [], outgoing: [],
};
const context = (partial: PartialAnswers) =>
  deepFreeze({
    flags,
    partial,
    sources: { organization: 'flag', hostDomain: 'flag', orchestratorHost: 'flag' } as InitContext['sources'],
    fromFile: {},
    hostEdits: { add: [], remove: [] },
    profile: chartProfile(),
    mode: 'prod' as const,
    removed: [],
    generated: [],
  });

describe('init steps take a plain context and return what they add', () => {
  it('askGaps asks only what is open, in the guide order, and returns the answers without touching its input', async () => {
    const prompter = scriptedPrompter([
      ['MSP ID on the orchestrator', undefined],
      ['Backend subdomain', undefined],
      ['Ingress host name', undefined],
      ['URL peers call this backend at', undefined],
      ['Hosts the backend answers for', undefined],
      ['Ingress class', 'nginx'],
      ['Largest upload through the ingress', undefined],
      ['cert-manager ClusterIssuer for HTTPS', ''],
      ['TLS Secret for HTTPS', ''],
      ['Orchestrator port', undefined],
      ['Add a user who can log in to the backend?', false],
      ['Add an incoming organization', false],
      ['Add an outgoing organization', false],
    ]);
    const ctx = context(given);
    const added = await askGaps({ ...ctx, prompter: () => prompter, checkPasswords: checkPasswordsInProcess });

    expect(prompter.asked.map((q) => q.split(' (')[0])).toEqual([
      'MSP ID on the orchestrator', 'Backend subdomain', 'Ingress host name', 'URL peers call this backend at', 'Hosts the backend answers for', 'Ingress class',
      'Largest upload through the ingress', 'cert-manager ClusterIssuer for HTTPS', 'TLS Secret for HTTPS', 'Orchestrator port',
      'Add a user who can log in to the backend?', 'Add an incoming organization', 'Add an outgoing organization',
    ]);
    expect(added.partial).toMatchObject({
      mspId: 'ingen', subdomain: 'api', hostname: 'api.example.com', defaultDomain: 'https://api.example.com:443', allowedHosts: ['.example.com'],
      ingressClass: 'nginx', uploadSize: '100m', clusterIssuer: undefined, tlsSecret: undefined, orchestratorPort: 80,
      caCertName: 'orchestrator-cacert', mtls: false, clientCertSecret: 'orchestrator-client-cert',
    });
    expect(added.sources).toMatchObject({ organization: 'flag', mspId: 'prompt', hostname: 'prompt', allowedHosts: 'prompt', orchestratorPort: 'prompt' });
    expect(added.removed).toEqual([]);
    expect(added.generated).toEqual([]);
    expect(ctx.partial).toEqual(given);
    expect(completeAnswers(added.partial).hostname).toBe('api.example.com');
  });

  it('fillDefaults gives every open setting its default, noting it as defaulted, and leaves its input as it was', () => {
    const ctx = context(given);
    const added = fillDefaults(ctx);
    expect(added.partial).toMatchObject({
      mspId: 'ingen', subdomain: 'api', hostname: 'api.example.com', defaultDomain: 'https://api.example.com:443', allowedHosts: ['.example.com'],
      uploadSize: '100m', orchestratorPort: 80, caCertName: 'orchestrator-cacert', mtls: false,
    });
    expect(added.partial.ingressClass).toBeUndefined();
    expect(added.sources).toMatchObject({ organization: 'flag', mspId: 'default', hostname: 'default', allowedHosts: 'default', orchestratorPort: 'default' });
    expect(added.hostNotes).toEqual([]);
    expect(ctx.partial).toEqual(given);
    expect(completeAnswers(added.partial).orchestratorPort).toBe(80);
  });
});
