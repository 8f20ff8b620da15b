import { describe, expect, it } from 'vitest';
import { backendApiUrl, backendConfigEdits, frontendEdits, frontendPairIssues } from '../../src/core/frontend.js';
import { guideValues } from '../helpers/values.js';

const HOST = 'substra.cluster-1.example.com';
const ORIGIN = `https://${HOST}`;

/** A frontend and a backend as `substra-deploy frontend` leaves them. */
function agreeingPair(): { backend: Record<string, any>; frontend: Record<string, any> } {
  const backend: Record<string, any> = guideValues();
  const frontend: Record<string, any> = {};
  for (const edit of frontendEdits({ host: HOST, apiUrl: backendApiUrl(backend).url!, tlsSecret: 'substra-tls' })) {
    let node = frontend;
    for (const key of edit.path.slice(0, -1)) node = node[key] ??= {};
    node[edit.path.at(-1)!] = edit.value;
  }
  for (const edit of backendConfigEdits(backend, ORIGIN)) backend.config[edit.path[1]!] = edit.value;
  return { backend, frontend };
}

describe('the API URL the frontend calls', () => {
  it("is the backend's ingress host over https, under server.subpath when the API is served there", () => {
    expect(backendApiUrl(guideValues()).url).toBe('https://api.cluster-1.example.com');
    const under = guideValues() as Record<string, any>;
    under.server.subpath = '/substra/';
    expect(backendApiUrl(under).url).toBe('https://api.cluster-1.example.com/substra');
    const { backend, frontend } = agreeingPair();
    backend.server.subpath = 'substra';
    expect(frontendPairIssues(backend, frontend).errors).toEqual([
      { path: 'api.url', message: 'path "/" is not where the backend serves its API (server.subpath): use https://api.cluster-1.example.com/substra' },
    ]);
  });
});

describe("the backend's API host", () => {
  it('is served over TLS by its ingress, or the page calling it over https meets a self-signed certificate (a warning: TLS may end at a load balancer)', () => {
    const { backend, frontend } = agreeingPair();
    expect(frontendPairIssues(backend, frontend)).toEqual({ errors: [], warnings: [] });
    delete backend.server.ingress.extraTls;
    const { errors, warnings } = frontendPairIssues(backend, frontend, { backend: 'backend-values.yaml' });
    expect(errors).toEqual([]);
    expect(warnings.map((w) => w.path)).toEqual(['backend-values.yaml: server.ingress.extraTls']);
    expect(warnings[0]!.message).toContain('has no TLS for "api.cluster-1.example.com", which the frontend\'s page calls over https');
  });
});

describe('a backend with settings: dev', () => {
  it('sets its cookies without Secure: http is a warning there, and a missing CSRF origin an error (session calls check it)', () => {
    const { backend, frontend } = agreeingPair();
    backend.settings = 'dev';
    frontend.ingress.tls = [];
    delete backend.config.CSRF_TRUSTED_ORIGINS;
    const { errors, warnings } = frontendPairIssues(backend, frontend);
    expect(errors.map((e) => e.path)).toEqual(['config.CSRF_TRUSTED_ORIGINS']);
    expect(warnings.map((w) => w.path)).toEqual(['ingress.tls']);
    backend.settings = 'prod';
    const prod = frontendPairIssues(backend, frontend);
    expect(prod.errors.map((e) => e.path)).toEqual(['ingress.tls']);
    expect(prod.warnings.map((w) => w.path)).toEqual(['config.CSRF_TRUSTED_ORIGINS']);
  });
});
