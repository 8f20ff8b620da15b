import type { AccountAnswer } from './answers.js';
import { urlWithoutCredentials } from './mask.js';

/**
 * `verify --peers`: calling each outgoing organization's backend the way backends call each
 * other (substrapp/clients/organization.py): HTTP Basic with the caller's own mspID as user
 * and the outgoing secret as password, the `Substra-Channel-Name` header, and certificate
 * verification. This module plans the calls and reads their answers; it sends nothing.
 */
export type PeerOutcome = 'accepted' | 'credentials refused' | 'certificate refused' | 'unreachable' | 'not checked';

export interface PeerCheckPlan {
  mspId: string;
  url?: string;
  /** never printed: only the Authorization header is built from it */
  secret?: string;
  /** why it is not checked */
  reason?: string;
}

export interface PeerResult {
  mspId: string;
  url?: string;
  outcome: PeerOutcome;
  /** the HTTP status, when the peer answered */
  status?: number;
  detail: string;
  hint?: string;
}

/** Who calls and on which channel; the peer's backend only needs some channel to answer. */
export interface Caller {
  mspId: string;
  channel: string;
  /** the values file, named in hints */
  file: string;
}

/**
 * `--peer-url MSPID=URL`, repeatable. The URL is the peer's server.defaultDomain (a path is
 * kept: the backend may live under a subpath).
 */
export function parsePeerUrls(specs: readonly string[]): { urls: Map<string, string>; problems: string[] } {
  const urls = new Map<string, string>();
  const problems: string[] = [];
  for (const spec of specs) {
    const at = spec.indexOf('=');
    const mspId = at === -1 ? '' : spec.slice(0, at);
    const raw = at === -1 ? '' : spec.slice(at + 1);
    // Masked whole: a URL given without MSPID= whose password holds "=" splits inside the password.
    const shown = urlWithoutCredentials(spec);
    if (mspId === '' || raw === '') {
      problems.push(`--peer-url "${shown}": must be MSPID=URL, e.g. biotechnica=https://api.biotechnica.example.com`);
      continue;
    }
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      problems.push(`--peer-url ${shown}: not a URL`);
      continue;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      problems.push(`--peer-url ${shown}: must start with https:// or http://`);
    } else if (url.username || url.password) {
      // It would sit in shell history and be printed with the URL.
      problems.push(`--peer-url ${mspId}=…: must not hold credentials (the outgoing secret comes from the values file)`);
    } else if (urls.has(mspId)) {
      problems.push(`--peer-url ${mspId}: given twice`);
    } else {
      urls.set(mspId, url.href);
    }
  }
  return { urls, problems };
}

/**
 * One plan per outgoing organization; a --peer-url for an organization the file does not call
 * is a usage error (a typo would otherwise check nothing and pass).
 */
export function planPeerChecks(outgoing: readonly AccountAnswer[], urls: ReadonlyMap<string, string>, file: string): { plans: PeerCheckPlan[]; problems: string[] } {
  const names = outgoing.map((o) => o.name);
  const problems = [...urls.keys()]
    .filter((mspId) => !names.includes(mspId))
    .map((mspId) =>
      names.length
        ? `--peer-url ${mspId}=…: ${mspId} is not an outgoing organization of ${file} (it calls: ${names.join(', ')})`
        : `--peer-url ${mspId}=…: ${file} has no outgoing organizations`,
    );
  const plans = outgoing.map((o): PeerCheckPlan => {
    const url = urls.get(o.name);
    if (!url) return { mspId: o.name, reason: `no --peer-url ${o.name}=URL` };
    if (!o.secret) return { mspId: o.name, url, reason: `${file} holds no secret for it` };
    return { mspId: o.name, url, secret: o.secret };
  });
  return { plans, problems };
}

/**
 * The cheapest read that takes Basic credentials: the model list (api/views/model.py adds
 * BasicAuthentication), one item. /organization/ does not take Basic credentials at all.
 */
export function peerProbeUrl(base: string): URL {
  const url = new URL(base);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return new URL('model/?page_size=1', url);
}

/**
 * The request headers of a backend-to-backend call. The backend encodes Basic credentials as
 * Latin-1 (requests' HTTPBasicAuth), as btoa does; undefined when they cannot be encoded.
 */
export function peerRequestHeaders(caller: Caller, secret: string): Record<string, string> | undefined {
  let encoded: string;
  try {
    encoded = btoa(`${caller.mspId}:${secret}`);
  } catch {
    return undefined;
  }
  return {
    Authorization: `Basic ${encoded}`,
    Accept: 'application/json;version=0.0',
    'Substra-Channel-Name': caller.channel,
  };
}

export function notChecked(plan: PeerCheckPlan, detail = plan.reason ?? 'not checked'): PeerResult {
  return { mspId: plan.mspId, ...(plan.url ? { url: plan.url } : {}), outcome: 'not checked', detail };
}

/** A peer that answered: what its status says about the credentials. */
export function peerAnswerResult(plan: PeerCheckPlan, caller: Caller, status: number, location?: string): PeerResult {
  const result = (outcome: PeerOutcome, detail: string, hint?: string): PeerResult => ({ mspId: plan.mspId, url: plan.url, outcome, status, detail, ...(hint ? { hint } : {}) });
  const host = plan.url ? new URL(plan.url).host : '?';
  if (status >= 200 && status < 300) return result('accepted', `${plan.mspId} accepts ${caller.mspId}'s outgoing secret (${status})`);
  if (status === 403) {
    // Authentication passed; only the asset's permissions said no.
    return result('accepted', `${plan.mspId} accepts ${caller.mspId}'s outgoing secret (403: authenticated, the asset list itself is not shared)`);
  }
  if (status === 401) {
    return result(
      'credentials refused',
      `${plan.mspId} refused user "${caller.mspId}" with the outgoing secret of ${caller.file} (401)`,
      `${plan.mspId}'s values need the incoming entry {name: ${caller.mspId}, secret: <the secret of ${caller.file}'s outgoing entry ${plan.mspId}>}: substra-deploy validate ${caller.file} --peers <${plan.mspId}'s values file> compares them and substra-deploy link writes matching pairs; on a chart before 26.12.0 a changed secret only takes effect once the account is recreated`,
    );
  }
  const unreachable = (detail: string, hint: string) => result('unreachable', detail, hint);
  if (status >= 300 && status < 400) {
    return unreachable(
      `${host} answered ${status}, a redirect${location ? ` to ${location}` : ''}`,
      `give --peer-url ${plan.mspId}= the address the redirect points to; backends call ${plan.mspId}'s server.defaultDomain as it is registered`,
    );
  }
  if (status === 400) {
    return unreachable(`${host} answered 400`, `Django answers 400 to a host outside ${plan.mspId}'s config.ALLOWED_HOSTS: it must cover the host of ${plan.mspId}'s server.defaultDomain`);
  }
  if (status === 404) {
    return unreachable(`${host} answered 404: no Substra backend API at ${plan.url}`, `the URL must be ${plan.mspId}'s server.defaultDomain (with its subpath, if any)`);
  }
  return unreachable(`${host} answered ${status}`, `${plan.mspId}'s backend or its ingress fails: check its server pod`);
}

const CERTIFICATE_CODES =
  /^(ERR_TLS_CERT_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_(VERIFY_LEAF_SIGNATURE|GET_ISSUER_CERT|GET_ISSUER_CERT_LOCALLY|DECRYPT_CERT_SIGNATURE)$|INVALID_CA$|INVALID_PURPOSE$|HOSTNAME_MISMATCH$|PATH_LENGTH_EXCEEDED$)/;

/** Whether a connection failure is the certificate's fault (Node's TLS error codes). */
export function isCertificateFailure(code: string): boolean {
  return CERTIFICATE_CODES.test(code);
}

/** A connection that failed before any answer, by Node's error code. */
export function connectionFailure(url: string, code: string, message: string, extraCa: boolean): { outcome: 'certificate refused' | 'unreachable'; detail: string; hint: string } {
  const { host, hostname, port, protocol } = new URL(url);
  const where = port ? host : `${hostname}:${protocol === 'https:' ? 443 : 80}`;
  if (isCertificateFailure(code)) {
    const hint =
      code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH'
        ? `the certificate does not name ${hostname}: it must cover the host of server.defaultDomain, which backends call`
        : code === 'CERT_HAS_EXPIRED'
          ? 'the certificate has expired: renew it'
          : code === 'CERT_NOT_YET_VALID'
            ? 'the certificate is not valid yet: check its dates and the clocks'
            : extraCa
              ? 'it is not signed by the --ca-cert CA nor by a CA this system trusts: backends verify certificates and would refuse it too'
              : 'it is not signed by a CA this system trusts: if a private CA signed it, give that CA with --ca-cert FILE (the calling backends verify certificates too, so they must trust that CA as well)';
    return { outcome: 'certificate refused', detail: `the certificate of ${where} is not accepted (${code}: ${message})`, hint };
  }
  const detail =
    code === 'ECONNREFUSED'
      ? `nothing listens at ${where}`
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? `${hostname} does not resolve`
        : code === 'ETIMEDOUT'
          ? `no answer from ${where} in time`
          : code === 'EPROTO' || code.startsWith('ERR_SSL_')
            ? `${where} does not speak TLS as expected (${code}): is it the HTTPS port?`
            : `${where}: ${code} (${message})`;
  const hint = code === 'ETIMEDOUT' ? 'check the address and the firewalls, or raise --timeout' : 'check the address: it must be reachable from here as it is from the other backends';
  return { outcome: 'unreachable', detail, hint };
}

/** What the own backend's logged-in /info/ says of its orchestrator connection. */
export type OrchestratorReach =
  | { kind: 'reached'; orchestratorVersion: string; channel?: string }
  /** ISOLATED backends call no orchestrator: /info/ says null */
  | { kind: 'isolated'; channel?: string }
  | { kind: 'not reached'; status: number }
  | { kind: 'not logged in' }
  | { kind: 'unexpected'; status: number };

/**
 * A logged-in /info/ asks the orchestrator for its version (backend/views.py, a live gRPC
 * QueryVersion that is not retried): 200 with orchestrator_version when it answers, 500 when
 * the call fails. Anonymous callers get neither `version` nor `orchestrator_version`.
 */
export function orchestratorReach(status: number, body: string): OrchestratorReach {
  if (status === 500) return { kind: 'not reached', status };
  if (status !== 200) return { kind: 'unexpected', status };
  let info: Record<string, unknown>;
  try {
    info = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return { kind: 'unexpected', status };
  }
  if (info === null || typeof info !== 'object' || !('version' in info)) return { kind: 'not logged in' };
  const channel = typeof info.channel === 'string' ? info.channel : undefined;
  if (typeof info.orchestrator_version === 'string') return { kind: 'reached', orchestratorVersion: info.orchestrator_version, ...(channel ? { channel } : {}) };
  return { kind: 'isolated', ...(channel ? { channel } : {}) };
}
