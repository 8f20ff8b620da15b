import { isIP } from 'node:net';
import { derivedHosts } from './questions.js';

/**
 * Where a host name points, as far as its spelling tells: what decides which network policy
 * (orchestrator.sameCluster) can reach it, and whether Django's ALLOWED_HOSTS covers it.
 */

/**
 * Django's host validation (django.http.request.validate_host): "*" matches anything, ".x"
 * matches x and every name under it, anything else matches exactly; case-insensitive.
 */
export function hostAllowed(host: string, patterns: readonly string[]): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return patterns.some((raw) => {
    const pattern = raw.toLowerCase();
    if (pattern === '*') return true;
    if (pattern.startsWith('.')) return name.endsWith(pattern) || name === pattern.slice(1);
    return name === pattern;
  });
}

/** The backend adds these to ALLOWED_HOSTS itself (settings/common.py). */
export const BUILTIN_ALLOWED_HOSTS = ['127.0.0.1', '::1', 'localhost'];

/**
 * The ranges the chart's orchestrator-client network policy treats as private: with
 * sameCluster only these may be reached, without it only the rest.
 */
const POLICY_PRIVATE_RANGES: Array<[number, number]> = [
  [ipv4ToInt('10.0.0.0'), 8],
  [ipv4ToInt('192.168.0.0'), 16],
  [ipv4ToInt('172.16.0.0'), 20],
];

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

export function inPolicyPrivateRange(ip: string): boolean {
  const n = ipv4ToInt(ip);
  return POLICY_PRIVATE_RANGES.some(([base, bits]) => Math.floor(n / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits)));
}

// Top-level domains common enough that "x.<tld>" reads as a public name, not service.namespace.
const PUBLIC_TLDS = new Set([
  'com', 'org', 'net', 'io', 'ai', 'dev', 'app', 'cloud', 'co', 'eu', 'fr', 'de', 'uk', 'us', 'ch', 'nl', 'be', 'es', 'it',
  'ca', 'jp', 'cn', 'in', 'au', 'se', 'no', 'dk', 'fi', 'at', 'pl', 'pt', 'ie', 'info', 'biz', 'tech', 'health', 'bio', 'edu', 'gov',
]);

export type HostPlace =
  /** a cluster DNS name (*.svc.cluster.local, *.svc, *.cluster.local): resolves to a cluster IP */
  | 'in-cluster'
  /** one or two labels such as orchestrator or orchestrator-server.orchestrator: very likely a Service */
  | 'likely-in-cluster'
  /** an IPv4 address in the policy's private ranges */
  | 'private-address'
  /** an IPv4 address outside them */
  | 'public-address'
  /** a name that reads as public (it may still resolve to a private address) */
  | 'public-name';

export function hostPlace(host: string): HostPlace {
  const name = host.toLowerCase().replace(/\.$/, '');
  if (/^[\d.]+$/.test(name) && isIP(name) === 4) return inPolicyPrivateRange(name) ? 'private-address' : 'public-address';
  if (/\.svc(\.cluster\.local)?$/.test(name) || name.endsWith('.cluster.local')) return 'in-cluster';
  const labels = name.split('.');
  if (labels.length === 1) return 'likely-in-cluster';
  if (labels.length === 2 && !PUBLIC_TLDS.has(labels[1] as string)) return 'likely-in-cluster';
  return 'public-name';
}

export function isInClusterName(host: string): boolean {
  const place = hostPlace(host);
  return place === 'in-cluster' || place === 'likely-in-cluster';
}

export interface HostSettlement {
  /** values to take over the file's (followed the domain or subdomain) */
  hostname?: string;
  defaultDomain?: string;
  allowedHosts?: string[];
  /** what was re-derived or kept, for the run's report */
  notes: Array<{ path: string; message: string }>;
  problems: string[];
}

interface HostAnswers {
  hostDomain?: string;
  subdomain?: string;
  hostname?: string;
  defaultDomain?: string;
  allowedHosts?: string[];
}

/**
 * The host settings follow the domain and subdomain. A value the file lacks is left to its
 * default (derived from them). A value the file has stays as it is — an in-cluster
 * defaultDomain, extra ALLOWED_HOSTS — unless this run changes the domain or subdomain and
 * the file's value is exactly what the old ones derived: then it follows, and the run says so.
 * `--allowed-host`/`--remove-allowed-host` then add to and remove from the list.
 */
export function settleHostSettings(input: {
  fromFile: HostAnswers;
  answers: HostAnswers;
  /** settings this run gives (flag, environment or prompt), which are never re-derived */
  given: ReadonlySet<string>;
  addHosts: readonly string[];
  removeHosts: readonly string[];
}): HostSettlement {
  const { fromFile, answers, given } = input;
  const out: HostSettlement = { notes: [], problems: [] };
  const oldDomain = fromFile.hostDomain;
  const newDomain = answers.hostDomain;
  const domainChanged = oldDomain !== undefined && newDomain !== undefined && oldDomain !== newDomain;
  const subdomainChanged = given.has('subdomain') && answers.subdomain !== fromFile.subdomain;
  const changedBy = [domainChanged ? 'host domain' : '', subdomainChanged ? 'subdomain' : ''].filter(Boolean).join(' and ');
  const oldHostname = derivedHosts({ hostDomain: oldDomain, subdomain: fromFile.subdomain })?.hostname;
  const newHostname = derivedHosts(answers)?.hostname;

  if (changedBy && newHostname) {
    const follow = (path: string, key: 'hostname' | 'defaultDomain', flag: string, oldValue: string | undefined, newValue: string) => {
      const inFile = fromFile[key];
      if (given.has(key) || inFile === undefined || inFile === newValue) return;
      if (inFile === oldValue) {
        out[key] = newValue;
        out.notes.push({ path, message: `follows the new ${changedBy}: ${inFile} → ${newValue}` });
      } else {
        out.notes.push({ path, message: `kept ${inFile}: it was not derived from the old ${changedBy}; change it with --${flag} if it must follow` });
      }
    };
    follow('server.ingress.hostname', 'hostname', 'hostname', oldHostname, newHostname);
    const hostname = out.hostname ?? answers.hostname ?? newHostname;
    follow('server.defaultDomain', 'defaultDomain', 'default-domain', oldHostname ? `https://${oldHostname}:443` : undefined, `https://${hostname}:443`);
  }

  let list = answers.allowedHosts ? [...answers.allowedHosts] : undefined;
  if (list && domainChanged && !given.has('allowedHosts')) {
    const before = `.${oldDomain}`;
    const after = `.${newDomain}`;
    if (list.includes(before)) {
      list = [...new Set(list.map((h) => (h === before ? after : h)))];
      out.notes.push({ path: 'config.ALLOWED_HOSTS', message: `follows the new host domain: "${before}" → "${after}"${list.length > 1 ? ' (the other entries are kept)' : ''}` });
    }
  }
  if (input.addHosts.length || input.removeHosts.length) {
    list ??= newDomain ? [`.${newDomain}`] : [];
    for (const host of input.addHosts) if (!list.includes(host)) list.push(host);
    for (const host of input.removeHosts) {
      if (!list.includes(host)) out.problems.push(`--remove-allowed-host ${host}: config.ALLOWED_HOSTS does not list it (it lists ${list.map((h) => `"${h}"`).join(', ') || 'nothing'})`);
      else list = list.filter((h) => h !== host);
    }
  }
  if (list && JSON.stringify(list) !== JSON.stringify(answers.allowedHosts)) out.allowedHosts = list;
  return out;
}
