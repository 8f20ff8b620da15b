import { describe, expect, it } from 'vitest';
import { hostAllowed, hostPlace, settleHostSettings } from '../../src/core/hosts.js';

const file = {
  hostDomain: 'org-1.com',
  subdomain: 'api',
  hostname: 'api.org-1.com',
  defaultDomain: 'https://api.org-1.com:443',
  allowedHosts: ['.org-1.com', '.org-1', '.org-1.svc.cluster.local'],
};
const settle = (answers: Partial<typeof file>, given: string[] = [], addHosts: string[] = [], removeHosts: string[] = [], fromFile: Partial<typeof file> = file) =>
  settleHostSettings({ fromFile, answers: { ...fromFile, ...answers }, given: new Set(given), addHosts, removeHosts });

describe('host settings follow the domain only where they were derived from it', () => {
  it('leave every value of the file alone when the run changes neither domain nor subdomain', () => {
    expect(settle({})).toEqual({ notes: [], problems: [] });
    const inCluster = { ...file, defaultDomain: 'http://backend-org-1-server.org-1:8000' };
    expect(settle({}, [], [], [], inCluster)).toEqual({ notes: [], problems: [] });
  });

  it('follow a new domain, keep ALLOWED_HOSTS entries not derived from the old one, and say so', () => {
    const r = settle({ hostDomain: 'org-9.com' }, ['hostDomain']);
    expect(r.hostname).toBe('api.org-9.com');
    expect(r.defaultDomain).toBe('https://api.org-9.com:443');
    expect(r.allowedHosts).toEqual(['.org-9.com', '.org-1', '.org-1.svc.cluster.local']);
    expect(r.notes.map((n) => n.path)).toEqual(['server.ingress.hostname', 'server.defaultDomain', 'config.ALLOWED_HOSTS']);
    expect(r.notes[0]!.message).toBe('follows the new host domain: api.org-1.com → api.org-9.com');
  });

  it('keep an in-cluster defaultDomain through a domain change, naming the flag that changes it', () => {
    const inCluster = { ...file, defaultDomain: 'http://backend-org-1-server.org-1:8000' };
    const r = settle({ hostDomain: 'org-9.com' }, ['hostDomain'], [], [], inCluster);
    expect(r.defaultDomain).toBeUndefined();
    expect(r.notes).toContainEqual({
      path: 'server.defaultDomain',
      message: 'kept http://backend-org-1-server.org-1:8000: it was not derived from the old host domain; change it with --default-domain if it must follow',
    });
  });

  it('follow a new subdomain, and never override a value given this run', () => {
    const r = settle({ subdomain: 'substra' }, ['subdomain']);
    expect(r).toMatchObject({ hostname: 'substra.org-1.com', defaultDomain: 'https://substra.org-1.com:443' });
    expect(r.allowedHosts).toBeUndefined();
    const pinned = settle({ subdomain: 'substra', hostname: 'backend.elsewhere.test' }, ['subdomain', 'hostname']);
    expect(pinned.hostname).toBeUndefined();
    expect(pinned.defaultDomain).toBe('https://backend.elsewhere.test:443');
  });

  it('add and remove ALLOWED_HOSTS entries, refusing to remove one that is not there', () => {
    expect(settle({}, [], ['api.peer.test'], ['.org-1']).allowedHosts).toEqual(['.org-1.com', '.org-1.svc.cluster.local', 'api.peer.test']);
    expect(settle({}, [], [], ['.nope']).problems).toEqual([
      '--remove-allowed-host .nope: config.ALLOWED_HOSTS does not list it (it lists ".org-1.com", ".org-1", ".org-1.svc.cluster.local")',
    ]);
    // A new file: the list starts from the derived one.
    expect(settle({ hostDomain: 'new.test' }, ['hostDomain'], ['10.0.0.1'], [], {}).allowedHosts).toEqual(['.new.test', '10.0.0.1']);
  });
});

describe('host matching and places', () => {
  it('matches hosts as Django does', () => {
    expect(hostAllowed('api.org-1.com', ['.org-1.com'])).toBe(true);
    expect(hostAllowed('org-1.com', ['.org-1.com'])).toBe(true);
    expect(hostAllowed('evilorg-1.com', ['.org-1.com'])).toBe(false);
    expect(hostAllowed('API.Org-1.com', ['api.org-1.com'])).toBe(true);
    expect(hostAllowed('x', ['*'])).toBe(true);
  });

  it('tells cluster names, likely Services, addresses and public names apart', () => {
    expect(['a.b.svc.cluster.local', 'a.b.svc', 'orchestrator-server.orchestrator', 'orchestrator', '10.2.3.4', '172.16.15.1', '172.16.16.1', 'orchestrator.example.com', 'example.com'].map(hostPlace)).toEqual([
      'in-cluster', 'in-cluster', 'likely-in-cluster', 'likely-in-cluster', 'private-address', 'private-address', 'public-address', 'public-name', 'public-name',
    ]);
  });
});
