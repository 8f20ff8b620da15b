import type { Issue } from './errors.js';
import { hostAllowed, BUILTIN_ALLOWED_HOSTS } from './hosts.js';
import type { ValueEdit } from './orchestrator-chart.js';
import { valueAt, type ValuesLike } from './questions.js';
import * as rules from './rules.js';
import { jsonListText } from './values-doc.js';
import { jsonStringList } from './values-shape.js';

/**
 * The substra-frontend chart's values (Substra/substra-frontend, charts/substra-frontend
 * 1.2.3) and what the backend's settings must say for its login to work. The browser loads
 * the page from the frontend host and calls the API at api.url with credentials; the backend
 * answers the login with cookies set for server.commonHostDomain, Secure in `settings: prod`,
 * and the page reads one of them through document.cookie. Nothing here reads or writes files.
 */

/** The frontend chart has no ingress class key: the class is this annotation. */
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
/** cert-manager's ingress-shim makes the Secret named in ingress.tls for Ingresses carrying it. */
export const CLUSTER_ISSUER_ANNOTATION = 'cert-manager.io/cluster-issuer';

export const CORS_ORIGINS_KEY = 'CORS_ORIGIN_WHITELIST';
export const CORS_CREDENTIALS_KEY = 'CORS_ALLOW_CREDENTIALS';
export const CSRF_ORIGINS_KEY = 'CSRF_TRUSTED_ORIGINS';

/** What the backend's to_bool takes as true (backend/backend/settings/deps/utils.py). */
const TRUE_WORDS = new Set(['t', 'T', 'y', 'Y', 'yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON', '1']);
const isTrue = (raw: unknown) => raw === true || raw === 1 || (typeof raw === 'string' && TRUE_WORDS.has(raw));

export interface FrontendSettings {
  host: string;
  /** the backend API's base URL, as the browser calls it */
  apiUrl: string;
  /** the Secret holding the host's certificate (made by cert-manager with clusterIssuer) */
  tlsSecret: string;
  clusterIssuer?: string;
  ingressClass?: string;
}

/** The origin the browser sends from the frontend page: always https (see frontendPairIssues). */
export const frontendOrigin = (host: string) => `https://${host}`;


const str = (x: unknown): string | undefined => (typeof x === 'string' && x !== '' ? x : undefined);
const trimSlashes = (s: string) => s.replace(/^\/+|\/+$/g, '');

/**
 * The API URL the frontend's browser calls: the backend's public host over https, with the
 * chart's server.subpath when it serves the API under one. Or why there is none.
 */
export function backendApiUrl(backend: ValuesLike): { url?: string; problem?: Issue } {
  const hostname = str(valueAt(backend, ['server', 'ingress', 'hostname']));
  if (valueAt(backend, ['server', 'ingress', 'enabled']) !== true || !hostname) {
    return {
      problem: {
        path: 'server.ingress.hostname',
        message: `${hostname ? 'is set but the ingress is off (server.ingress.enabled)' : 'is not set'}: the frontend's page calls the backend from the browser, so the backend needs its public host; set server.ingress.enabled: true and server.ingress.hostname (substra-deploy init --values FILE --hostname HOST)`,
      },
    };
  }
  const subpath = trimSlashes(str(valueAt(backend, ['server', 'subpath'])) ?? '');
  return { url: `https://${hostname}${subpath ? `/${subpath}` : ''}` };
}



/** The frontend chart's values, in the order a new file lays them out. */
export function frontendEdits(s: FrontendSettings): ValueEdit[] {
  const edits: ValueEdit[] = [{ path: ['api', 'url'], value: s.apiUrl }];
  // The chart's default is false, and the deployment guide's values never turn it on.
  edits.push({ path: ['ingress', 'enabled'], value: true });
  if (s.ingressClass) edits.push({ path: ['ingress', 'annotations', INGRESS_CLASS_ANNOTATION], value: s.ingressClass });
  if (s.clusterIssuer) edits.push({ path: ['ingress', 'annotations', CLUSTER_ISSUER_ANNOTATION], value: s.clusterIssuer });
  // paths is a list of strings; the chart's default (none) renders a rule that routes nothing.
  edits.push({ path: ['ingress', 'hosts'], value: [{ host: s.host, paths: ['/'] }] });
  edits.push({ path: ['ingress', 'tls'], value: [{ hosts: [s.host], secretName: s.tlsSecret }] });
  return edits;
}

/**
 * The backend `config` keys the frontend's login needs: its origin among the CORS origins
 * (kept with the ones already listed), credentials allowed, and its origin among the CSRF
 * trusted origins (read only by session authentication, i.e. `settings: dev`; harmless in prod).
 */
export function backendConfigEdits(backend: ValuesLike, origin: string): ValueEdit[] {
  const edits: ValueEdit[] = [];
  for (const key of [CORS_ORIGINS_KEY, CSRF_ORIGINS_KEY]) {
    const current = valueAt(backend, ['config', key]);
    // A value that is not a JSON list stops the backend at start-up (json.loads): replaced.
    const list = jsonStringList(current) ?? [];
    if (!list.includes(origin)) edits.push({ path: ['config', key], value: jsonListText([...list, origin], current) });
  }
  if (!isTrue(valueAt(backend, ['config', CORS_CREDENTIALS_KEY]))) edits.push({ path: ['config', CORS_CREDENTIALS_KEY], value: 'true' });
  return edits;
}

/** What an existing frontend values file already says, to start from on a second run. */
export function frontendSettingsFrom(frontend: ValuesLike): Partial<Omit<FrontendSettings, 'apiUrl'>> {
  const hosts = valueAt(frontend, ['ingress', 'hosts']);
  const tls = valueAt(frontend, ['ingress', 'tls']);
  const annotations = valueAt(frontend, ['ingress', 'annotations']) as Record<string, unknown> | undefined;
  const found: Partial<Omit<FrontendSettings, 'apiUrl'>> = {};
  const host = Array.isArray(hosts) ? str((hosts[0] as { host?: unknown } | undefined)?.host) : undefined;
  if (host) found.host = host;
  const secret = Array.isArray(tls) ? str((tls[0] as { secretName?: unknown } | undefined)?.secretName) : undefined;
  if (secret) found.tlsSecret = secret;
  const issuer = str(annotations?.[CLUSTER_ISSUER_ANNOTATION]);
  if (issuer) found.clusterIssuer = issuer;
  const ingressClass = str(annotations?.[INGRESS_CLASS_ANNOTATION]);
  if (ingressClass) found.ingressClass = ingressClass;
  return found;
}

/** Files to name in the issues' paths; issues of a file without a label carry plain paths. */
export interface PairLabels {
  backend?: string;
  frontend?: string;
}

/**
 * A backend and a frontend that work together: the frontend reachable (ingress on, a host
 * with a path, TLS), its API URL the backend's public host (covered by ALLOWED_HOSTS), its
 * origin allowed by CORS with credentials, and its host under the cookie domain over https.
 */
export function frontendPairIssues(backend: ValuesLike, frontend: ValuesLike, labels: PairLabels = {}): { errors: Issue[]; warnings: Issue[] } {
  const errors: Issue[] = [];
  const warnings: Issue[] = [];
  const at = (side: keyof PairLabels, path: string) => (labels[side] ? `${labels[side]}: ${path}` : path);
  const front = (path: string, message: string) => errors.push({ path: at('frontend', path), message });
  const back = (path: string, message: string) => errors.push({ path: at('backend', path), message });
  // settings: dev sets the login cookies without Secure: http then works, though it is not advised.
  const dev = valueAt(backend, ['settings']) === 'dev';
  const httpsRule = (path: string, message: string) => (dev ? warnings : errors).push({ path: at('frontend', path), message });
  const secureWhy = dev ? 'serve it over https as in prod' : 'the backend (settings: prod) marks its login cookies Secure, which a browser neither keeps from nor shows to an http page';

  if (valueAt(frontend, ['ingress', 'enabled']) !== true) {
    front('ingress.enabled', 'is not true: the chart creates no Ingress and the frontend cannot be reached (the deployment guide\'s values forget it); set ingress.enabled: true');
  }

  const listed = jsonStringList(valueAt(backend, ['config', 'ALLOWED_HOSTS']));
  const apiRaw = valueAt(frontend, ['api', 'url']);
  let api: URL | undefined;
  try {
    api = typeof apiRaw === 'string' ? new URL(apiRaw) : undefined;
  } catch {
    api = undefined;
  }
  const expected = backendApiUrl(backend);
  if (expected.problem) errors.push({ ...expected.problem, path: at('backend', expected.problem.path) });
  if (!api || !/^https?:$/.test(api.protocol)) {
    front('api.url', `must be the backend's URL${expected.url ? `, ${expected.url}` : ''} (it is ${apiRaw === undefined ? 'missing' : JSON.stringify(apiRaw)})`);
  } else {
    if (api.protocol !== 'https:') httpsRule('api.url', `is http: ${secureWhy}; use ${expected.url ?? `https://${api.host}`}`);
    if (expected.url) {
      const backendHost = str(valueAt(backend, ['server', 'ingress', 'hostname'])) as string;
      if (api.hostname !== backendHost) front('api.url', `host "${api.hostname}" is not the backend's public host "${backendHost}" (server.ingress.hostname): the browser would call something else; use ${expected.url}`);
      else if (trimSlashes(api.pathname) !== trimSlashes(new URL(expected.url as string).pathname)) {
        front('api.url', `path "${api.pathname}" is not where the backend serves its API (server.subpath): use ${expected.url}`);
      }
    }
    const extraTls = valueAt(backend, ['server', 'ingress', 'extraTls']);
    const apiServedOverTls = Array.isArray(extraTls) && extraTls.some((t: { hosts?: unknown } | null) => Array.isArray(t?.hosts) && t.hosts.includes(api.hostname));
    if (expected.url && api.protocol === 'https:' && !apiServedOverTls) {
      warnings.push({
        path: at('backend', 'server.ingress.extraTls'),
        message: `has no TLS for "${api.hostname}", which the frontend's page calls over https: unless TLS ends before the ingress (a load balancer), the browser meets the controller's self-signed certificate and the login fails; add one (substra-deploy init --values FILE --tls-secret NAME or --cluster-issuer NAME)`,
      });
    }
    if (listed && !hostAllowed(api.hostname, [...BUILTIN_ALLOWED_HOSTS, ...listed])) {
      back('config.ALLOWED_HOSTS', `does not cover "${api.hostname}", the host the frontend calls the API at (api.url): Django answers every call 400`);
    }
  }

  const domain = str(valueAt(backend, ['server', 'commonHostDomain']));
  if (!domain) back('server.commonHostDomain', 'is not set: the backend sets its login cookies for this domain, which must hold the frontend host; set it (--host-domain)');
  const hostsRaw = valueAt(frontend, ['ingress', 'hosts']);
  const hosts = Array.isArray(hostsRaw) ? (hostsRaw as Array<{ host?: unknown; paths?: unknown } | null>) : [];
  if (hosts.length === 0) front('ingress.hosts', 'names no host: add {host: HOST, paths: [/]}');
  const tlsRaw = valueAt(frontend, ['ingress', 'tls']);
  const tls = Array.isArray(tlsRaw) ? (tlsRaw as Array<{ hosts?: unknown; secretName?: unknown } | null>) : [];
  tls.forEach((entry, i) => {
    if (!str(entry?.secretName)) front(`ingress.tls[${i}].secretName`, 'is missing: name the Secret holding the certificate (cert-manager writes it there with a cluster issuer)');
  });

  const corsRaw = valueAt(backend, ['config', CORS_ORIGINS_KEY]);
  const cors = jsonStringList(corsRaw);
  const csrf = jsonStringList(valueAt(backend, ['config', CSRF_ORIGINS_KEY]));
  if (corsRaw !== undefined && !cors) back(`config.${CORS_ORIGINS_KEY}`, `must be a string holding a JSON list of origins, such as '["https://substra.${domain ?? 'example.com'}"]' (the backend json.loads it)`);
  if (hosts.length && !isTrue(valueAt(backend, ['config', CORS_CREDENTIALS_KEY]))) {
    back(`config.${CORS_CREDENTIALS_KEY}`, `is not true: the frontend sends its login cookies with every call, and the browser drops answers that do not allow credentials; set "true"`);
  }

  hosts.forEach((entry, i) => {
    const host = entry?.host;
    const problem = typeof host === 'string' ? rules.dnsName(host) : 'must be a host name';
    if (typeof host !== 'string' || problem) {
      front(`ingress.hosts[${i}].host`, problem ?? 'must be a host name');
      return;
    }
    const paths = entry?.paths;
    if (!Array.isArray(paths) || paths.length === 0) front(`ingress.hosts[${i}].paths`, 'is empty: the rule routes nothing to the frontend; set paths: [/]');
    if (domain && host !== domain && !host.endsWith(`.${domain}`)) {
      front(`ingress.hosts[${i}].host`, `"${host}" is not under server.commonHostDomain "${domain}": the backend sets the login cookies for ${domain}, so the page cannot read them and every call after the login gets 401; use a host such as substra.${domain}`);
    }
    if (!tls.some((t) => Array.isArray(t?.hosts) && t.hosts.includes(host))) {
      httpsRule('ingress.tls', `does not cover "${host}", so the page is served over http: ${secureWhy}; add {hosts: [${host}], secretName: NAME}`);
    }
    const origin = frontendOrigin(host);
    if (cors && !cors.includes(origin)) {
      back(`config.${CORS_ORIGINS_KEY}`, `does not list "${origin}": the browser blocks the frontend's calls to the API (CORS); add it (substra-deploy frontend does)`);
    }
    if (!csrf?.includes(origin)) {
      (dev ? errors : warnings).push({
        path: at('backend', `config.${CSRF_ORIGINS_KEY}`),
        message: `does not list "${origin}"${dev ? ': with settings: dev the backend checks CSRF on session calls and refuses the frontend\'s' : ' (read only with settings: dev, where session calls from the frontend would be refused)'}`,
      });
    }
  });
  if (hosts.length && corsRaw === undefined) {
    back(`config.${CORS_ORIGINS_KEY}`, `is not set: the browser blocks the frontend's calls to the API (CORS); set it to '${JSON.stringify(hosts.map((h) => (typeof h?.host === 'string' ? frontendOrigin(h.host) : '')).filter(Boolean))}'`);
  }
  return { errors, warnings };
}
