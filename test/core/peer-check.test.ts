import { describe, expect, it } from 'vitest';
import {
  connectionFailure,
  isCertificateFailure,
  orchestratorReach,
  parsePeerUrls,
  peerAnswerResult,
  peerProbeUrl,
  peerRequestHeaders,
  planPeerChecks,
  type Caller,
} from '../../src/core/peer-check.js';

const caller: Caller = { mspId: 'ingen', channel: 'our-channel', file: 'ingen-values.yaml' };
const plan = { mspId: 'biotechnica', url: 'https://api.biotechnica.example.com/', secret: 'Hj6kL9zX2cV5bN8mQ1wE4rT' };

describe('--peer-url MSPID=URL', () => {
  it('maps each mspID to its URL, keeping a subpath', () => {
    const { urls, problems } = parsePeerUrls(['biotechnica=https://api.bio.example.com', 'tyrell=http://backend.tyrell:8000/substra']);
    expect(problems).toEqual([]);
    expect([...urls]).toEqual([
      ['biotechnica', 'https://api.bio.example.com/'],
      ['tyrell', 'http://backend.tyrell:8000/substra'],
    ]);
  });

  it('lists every malformed one at once: no "=", not a URL, another scheme, credentials inside, twice', () => {
    const { problems } = parsePeerUrls(['biotechnica', 'a=not a url', 'b=ftp://x', 'c=https://u:secret-here@x', 'd=https://x', 'd=https://y']);
    expect(problems).toEqual([
      '--peer-url "biotechnica": must be MSPID=URL, e.g. biotechnica=https://api.biotechnica.example.com',
      '--peer-url a=not a url: not a URL',
      '--peer-url b=ftp://x: must start with https:// or http://',
      '--peer-url c=…: must not hold credentials (the outgoing secret comes from the values file)',
      '--peer-url d: given twice',
    ]);
    expect(problems.join('\n')).not.toContain('secret-here');
  });

  it('quotes no part of a password in a URL given without MSPID=, also when the password holds "=" (base64 padding)', () => {
    const { problems } = parsePeerUrls(['https://admin:c2VjcmV0LXBhc3M=@api.bio.example.com', 'https://admin:pa=ss-word@api.bio.example.com']);
    expect(problems).toHaveLength(2);
    for (const fragment of ['c2VjcmV0LXBhc3M', 'pa=', 'ss-word', 'admin:']) expect(problems.join('\n')).not.toContain(fragment);
  });
});

describe('which outgoing organizations are called', () => {
  const outgoing = [{ name: 'biotechnica', secret: 's1' }, { name: 'tyrell' }, { name: 'ingen', secret: 's3' }];

  it('those with a URL and a secret; the others are not checked, with the reason', () => {
    const { plans, problems } = planPeerChecks(outgoing, new Map([['biotechnica', 'https://b/'], ['tyrell', 'https://t/']]), 'f.yaml');
    expect(problems).toEqual([]);
    expect(plans).toEqual([
      { mspId: 'biotechnica', url: 'https://b/', secret: 's1' },
      { mspId: 'tyrell', url: 'https://t/', reason: 'f.yaml holds no secret for it' },
      { mspId: 'ingen', reason: 'no --peer-url ingen=URL' },
    ]);
  });

  it('a URL for an organization the file does not call is a problem naming the ones it does', () => {
    expect(planPeerChecks(outgoing, new Map([['biotech', 'https://b/']]), 'f.yaml').problems).toEqual([
      '--peer-url biotech=…: biotech is not an outgoing organization of f.yaml (it calls: biotechnica, tyrell, ingen)',
    ]);
  });
});

describe('the call', () => {
  it("is the model list's first page under the peer's address", () => {
    expect(peerProbeUrl('https://api.bio.example.com').href).toBe('https://api.bio.example.com/model/?page_size=1');
    expect(peerProbeUrl('http://backend.tyrell:8000/substra').href).toBe('http://backend.tyrell:8000/substra/model/?page_size=1');
  });

  it('carries Basic own-mspID:secret in Latin-1, and the channel header', () => {
    expect(peerRequestHeaders(caller, 'sécret-Ü')).toEqual({
      Authorization: `Basic ${Buffer.from('ingen:sécret-Ü', 'latin1').toString('base64')}`,
      Accept: 'application/json;version=0.0',
      'Substra-Channel-Name': 'our-channel',
    });
    expect(peerRequestHeaders(caller, 'secret-€')).toBeUndefined();
  });
});

describe('what an answer means', () => {
  it('200 and 403 accept the credentials, 401 refuses them', () => {
    expect(peerAnswerResult(plan, caller, 200).outcome).toBe('accepted');
    expect(peerAnswerResult(plan, caller, 403)).toMatchObject({ outcome: 'accepted', status: 403 });
    const refused = peerAnswerResult(plan, caller, 401);
    expect(refused).toMatchObject({ outcome: 'credentials refused', status: 401 });
    expect(refused.hint).toContain('the incoming entry {name: ingen, secret:');
  });

  it('other answers never reach the credentials check: unreachable, with what to look at', () => {
    expect(peerAnswerResult(plan, caller, 400).hint).toContain("biotechnica's config.ALLOWED_HOSTS");
    expect(peerAnswerResult(plan, caller, 404).detail).toContain('no Substra backend API at https://api.biotechnica.example.com/');
    expect(peerAnswerResult(plan, caller, 308, 'https://elsewhere/')).toMatchObject({ outcome: 'unreachable', detail: 'api.biotechnica.example.com answered 308, a redirect to https://elsewhere/' });
    expect(peerAnswerResult(plan, caller, 502).outcome).toBe('unreachable');
  });

  it("tells a certificate's fault from a connection's by Node's error code", () => {
    for (const code of ['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY']) {
      expect(isCertificateFailure(code), code).toBe(true);
    }
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EPROTO']) expect(isCertificateFailure(code), code).toBe(false);
    expect(connectionFailure('https://api.bio.example.com/', 'ERR_TLS_CERT_ALTNAME_INVALID', 'x', false).hint).toContain('does not name api.bio.example.com');
    expect(connectionFailure('https://api.bio.example.com/', 'ENOTFOUND', 'x', false)).toMatchObject({ outcome: 'unreachable', detail: 'api.bio.example.com does not resolve' });
    expect(connectionFailure('https://api.bio.example.com/', 'ECONNREFUSED', 'x', false).detail).toBe('nothing listens at api.bio.example.com:443');
  });
});

describe("the own backend's /info/", () => {
  it('logged in: orchestrator_version says the orchestrator answered; null says isolated', () => {
    expect(orchestratorReach(200, JSON.stringify({ version: '1.0.1', orchestrator_version: '1.0.0', channel: 'our-channel' }))).toEqual({ kind: 'reached', orchestratorVersion: '1.0.0', channel: 'our-channel' });
    expect(orchestratorReach(200, JSON.stringify({ version: '1.0.1', orchestrator_version: null }))).toEqual({ kind: 'isolated' });
  });

  it('500 is an orchestrator call that failed; an anonymous answer is a token not taken', () => {
    expect(orchestratorReach(500, '<h1>Server Error (500)</h1>')).toEqual({ kind: 'not reached', status: 500 });
    expect(orchestratorReach(200, JSON.stringify({ host: 'h', organization_id: 'ingen', config: {}, auth: {} }))).toEqual({ kind: 'not logged in' });
    expect(orchestratorReach(404, '')).toEqual({ kind: 'unexpected', status: 404 });
  });
});

describe('a malformed --peer-url', () => {
  it('is quoted without the user name and password it holds', () => {
    const { problems } = parsePeerUrls(['https://ingen:S3cret-peer@api.example.com', 'bio=https://bio:S3cret-peer@exa mple.com', 'tyrell=ftp://t:S3cret-peer@x']);
    expect(problems).toHaveLength(3);
    for (const p of problems) expect(p).not.toContain('S3cret-peer');
    expect(problems[1]).toBe('--peer-url bio=https://***@exa mple.com: not a URL');
  });
});
