import type { ChartProfile } from './chart.js';
import type { Issue } from './errors.js';
import { crossCheckOrchestrator, type OrchestratorChannel } from './orchestrator.js';
import { wasGeneratedHere } from './generate.js';
import { checkPasswordsInProcess, type PasswordCheck, type PasswordChecker, type SettingsMode } from './password.js';
import { formatPath, toIssues, valuesSchema, type IncomingEntry, type ManagedValues, type OutgoingEntry } from './schema.js';
import { closest } from './rules.js';
import { BUILTIN_ALLOWED_HOSTS, hostAllowed, hostPlace, isInClusterName } from './hosts.js';
import { channelList, jsonStringList, linkChannelIssues, SOLO_CHANNEL_PREFIX } from './values-shape.js';

export interface ValidationReport {
  errors: Issue[];
  warnings: Issue[];
}

export { checkPasswordsInProcess, type PasswordCheck, type PasswordChecker } from './password.js';

export interface ValidateOptions {
  profile: ChartProfile;
  orchestratorChannels?: OrchestratorChannel[];
  checkPasswords?: PasswordChecker;
}

/** Every rule the tool knows, over a whole values object (as Helm would read it). */
export async function validateValues(values: unknown, options: ValidateOptions): Promise<ValidationReport> {
  const { errors, warnings } = await withPasswordsChecked(validateStructure(values, options), options);
  return { errors, warnings };
}

/** A structure report with the strength of its passwords checked: their problems join its errors. */
export async function withPasswordsChecked<R extends StructureReport>(report: R, options: Pick<ValidateOptions, 'checkPasswords'>): Promise<R> {
  const { passwordChecks } = report;
  if (passwordChecks.length) {
    const results = await (options.checkPasswords ?? checkPasswordsInProcess)(passwordChecks.map((c) => c.check));
    passwordChecks.forEach(({ path, userName }, i) => {
      for (const problem of results[i] ?? []) {
        report.errors.push({ path, message: `${problem}; the backend would silently not create user "${userName}"` });
      }
    });
  }
  return report;
}

interface PendingPasswordCheck {
  path: string;
  userName: string;
  check: PasswordCheck;
}

/** What validateStructure finds: the password strength is left as checks still to run. */
export interface StructureReport extends ValidationReport {
  passwordChecks: PendingPasswordCheck[];
  /** the values as the schema reads them, when their shape is right (other rules may still have failed) */
  values?: ManagedValues;
}

/** Every rule but the password strength, which is returned as checks still to run. */
export function validateStructure(values: unknown, options: ValidateOptions): StructureReport {
  const { profile } = options;
  const warnings: Issue[] = [];
  const parsed = valuesSchema(profile).safeParse(values);
  const legacy = legacyKeyIssues(values, profile);
  const legacyPaths = new Set(legacy.map((i) => i.path));
  // A renamed key would also be reported as unknown; the rename message says more.
  const errors: Issue[] = parsed.success ? [] : toIssues(parsed.error).filter((i) => !legacyPaths.has(i.path));
  errors.push(...legacy);
  if (!parsed.success) return { errors, warnings, passwordChecks: [] };
  const v: ManagedValues = parsed.data;
  const passwordChecks = crossFieldRules(v, profile, errors, warnings);
  if (options.orchestratorChannels) errors.push(...crossCheckOrchestrator(v, options.orchestratorChannels));
  return { errors, warnings, passwordChecks, values: v };
}

function duplicates(names: string[], pathOf: (i: number) => string, what: string, errors: Issue[]): void {
  const first = new Map<string, number>();
  names.forEach((name, i) => {
    const seen = first.get(name);
    if (seen === undefined) first.set(name, i);
    else errors.push({ path: pathOf(i), message: `duplicate ${what} "${name}" (also at ${pathOf(seen)}); remove one` });
  });
}

function crossFieldRules(v: ManagedValues, profile: ChartProfile, errors: Issue[], warnings: Issue[]): PendingPasswordCheck[] {
  const channels = channelList(v);
  const channelNames = channels.map((c) => c.name);
  const channelHint = `one of: ${channelNames.join(', ')}`;
  duplicates(channelNames, (i) => formatPath(['orchestrator', 'channels', i]), 'channel', errors);

  const accounts = v.addAccountOperator ?? {};
  const users = accounts.users ?? [];
  const incoming = (accounts[profile.incomingKey] as IncomingEntry[] | undefined) ?? [];
  const outgoing = (accounts[profile.outgoingKey] as OutgoingEntry[] | undefined) ?? [];
  const at = (key: string, i: number, field?: string) =>
    formatPath(field ? ['addAccountOperator', key, i, field] : ['addAccountOperator', key, i]);

  duplicates(users.map((u) => u.name), (i) => at('users', i), 'user', errors);
  duplicates(incoming.map((o) => o.name), (i) => at(profile.incomingKey, i), 'incoming organization', errors);
  duplicates(outgoing.map((o) => o.name), (i) => at(profile.outgoingKey, i), 'outgoing organization', errors);

  users.forEach((u, i) => {
    if (!channelNames.includes(u.channel)) {
      errors.push({ path: at('users', i, 'channel'), message: `channel "${u.channel}" is not in orchestrator.channels (${channelHint})` });
    }
  });
  errors.push(...linkChannelIssues(v, profile));
  channels.forEach(({ name, settings }, i) => {
    const known = ['restricted', 'model_export_enabled', 'chaincode'];
    for (const key of Object.keys(settings).filter((k) => !known.includes(k))) {
      const guess = closest(key, known);
      warnings.push({
        path: formatPath(['orchestrator', 'channels', i, name, key]),
        message: `unknown key: the backend ignores it${guess ? ` (did you mean "${guess}"?)` : ''}; it reads ${known.slice(0, 2).join(' and ')}`,
      });
    }
    if (name.startsWith(SOLO_CHANNEL_PREFIX) && !settings.restricted) {
      warnings.push({
        path: formatPath(['orchestrator', 'channels', i, name, 'restricted']),
        message: `is false, but the backend treats every "${SOLO_CHANNEL_PREFIX}*" channel as restricted: this organization must be its only member`,
      });
    }
  });
  if (profile.defaultImageLacksSync && !imageTagOf(v)) {
    warnings.push({
      path: 'server.image.tag',
      message: `is not set: chart ${profile.version} defaults to backend 0.48.0, which lacks the sync commands its account Job runs, so the Job fails; set it to a backend release that has them (1.0.x)`,
    });
  }

  const mode: SettingsMode = v.settings ?? 'prod';
  const passwordChecks = users.map((u, i) => ({
    path: at('users', i, 'secret'),
    userName: u.name,
    check: { password: u.secret, userName: u.name, mode, strengthKnown: wasGeneratedHere(u.secret) },
  }));

  if (accounts.existingSecret && !profile.supportsExistingSecret) {
    errors.push({
      path: 'addAccountOperator.existingSecret',
      message: `needs chart 26.8.0 or later (target is ${profile.version}); put the accounts in the values file or raise --chart-version`,
    });
  }

  orchestratorRules(v, profile, errors, warnings);
  hostRules(v, errors, warnings);
  return passwordChecks;
}

const imageTagOf = (v: ManagedValues): unknown => {
  const image = (v.server as { image?: { tag?: unknown } }).image;
  return image && typeof image === 'object' ? image.tag : undefined;
};

/** The orchestrator chart's Service listens on 9000: the port to use from the same cluster. */
export const ORCHESTRATOR_SERVICE_PORT = 9000;

function orchestratorRules(v: ManagedValues, profile: ChartProfile, errors: Issue[], warnings: Issue[]): void {
  const { orchestrator } = v;
  const tls = orchestrator.tls ?? {};
  const mtls = tls.mtls ?? {};
  if (mtls.enabled && !tls.enabled) {
    // The chart ANDs the two flags: it runs, silently without a client certificate.
    warnings.push({ path: 'orchestrator.tls.mtls.enabled', message: 'is true with TLS off: the chart then runs without mTLS; set orchestrator.tls.enabled: true (--orchestrator-tls) or turn mTLS off' });
  }
  if (tls.enabled && mtls.enabled && !mtls.clientCertificate) {
    errors.push({ path: 'orchestrator.tls.mtls.clientCertificate', message: 'is missing: name the kubernetes.io/tls Secret holding the client pair (--client-cert-secret)' });
  }
  if (tls.enabled && !tls.cacert) {
    const make =
      profile.caObjectKind === 'Secret'
        ? 'kubectl create secret generic orchestrator-cacert --from-file=ca.crt=/etc/ssl/certs/ca-certificates.crt'
        : 'kubectl create configmap orchestrator-cacert --from-file=ca.crt=/etc/ssl/certs/ca-certificates.crt';
    errors.push({
      path: 'orchestrator.tls.cacert',
      message: `is ${tls.cacert === '' ? 'empty' : 'missing'}: with TLS on, chart ${profile.version} mounts this ${profile.caObjectKind} in every backend pod and Kubernetes refuses pods whose volume names none; name the object holding the CA as ca.crt (--ca-cert-name). Behind a public CA, put the public bundle there: ${make} (or deploy --orchestrator-ca-cert BUNDLE)`,
    });
  }
  const port = orchestrator.port;
  const sameCluster = orchestrator.sameCluster === true;
  if (sameCluster && port !== ORCHESTRATOR_SERVICE_PORT) {
    warnings.push({ path: 'orchestrator.port', message: `is ${port} with sameCluster: the orchestrator chart's Service listens on ${ORCHESTRATOR_SERVICE_PORT}` });
  } else if (!sameCluster && tls.enabled && port === 80) {
    warnings.push({ path: 'orchestrator.port', message: 'is 80 with TLS on; TLS endpoints usually listen on 443' });
  } else if (!sameCluster && !tls.enabled && port === 443) {
    warnings.push({ path: 'orchestrator.port', message: 'is 443 with TLS off; plain endpoints usually listen on 80 (--orchestrator-tls?)' });
  }
  if (profile.sameClusterPolicy) sameClusterRule(orchestrator.host, sameCluster, errors, warnings);
}

/**
 * sameCluster picks the chart's egress policy: private ranges only (10/8, 192.168/16,
 * 172.16.0.0/20) when true, everything else when false. A host on the wrong side is cut off
 * without a word: an error when its spelling makes that certain, a warning when likely.
 */
function sameClusterRule(host: string, sameCluster: boolean, errors: Issue[], warnings: Issue[]): void {
  const path = 'orchestrator.sameCluster';
  const place = hostPlace(host);
  if (!sameCluster && (place === 'in-cluster' || place === 'private-address')) {
    errors.push({ path, message: `is false, but orchestrator.host "${host}" is ${place === 'in-cluster' ? 'a cluster address' : 'a private address'}: the chart's network policy then allows only public addresses and blocks it; set sameCluster: true (--orchestrator-same-cluster)` });
  } else if (!sameCluster && place === 'likely-in-cluster') {
    warnings.push({ path, message: `is false, but orchestrator.host "${host}" looks like an in-cluster Service (service.namespace): the chart's network policy then blocks private addresses; set sameCluster: true if the orchestrator runs in this cluster` });
  } else if (sameCluster && place === 'public-address') {
    errors.push({ path, message: `is true, but orchestrator.host "${host}" is a public address: the chart's network policy then allows only private ranges and blocks it; set sameCluster: false` });
  } else if (sameCluster && place === 'public-name') {
    warnings.push({ path, message: `is true, but orchestrator.host "${host}" looks public: the chart's network policy then allows only private ranges (10/8, 192.168/16, 172.16.0.0/20); unless it resolves to one, set sameCluster: false` });
  }
}

function hostRules(v: ManagedValues, errors: Issue[], warnings: Issue[]): void {
  const domain = v.server.commonHostDomain;
  const listed = jsonStringList(v.config.ALLOWED_HOSTS);
  if (!listed) {
    errors.push({
      path: 'config.ALLOWED_HOSTS',
      message: `must be a string holding a JSON list of hosts, such as '[".${domain}"]' (double quotes inside, single quotes around)`,
    });
  }
  const allowed = [...BUILTIN_ALLOWED_HOSTS, ...(listed ?? [])];
  const ingress = v.server.ingress;
  const hostname = ingress?.hostname;
  if (hostname && hostname !== domain && !hostname.endsWith(`.${domain}`)) {
    warnings.push({ path: 'server.ingress.hostname', message: `"${hostname}" is not under server.commonHostDomain "${domain}"` });
  }
  if (listed && hostname && ingress?.enabled !== false && !hostAllowed(hostname, allowed)) {
    warnings.push({ path: 'config.ALLOWED_HOSTS', message: `does not cover the ingress host "${hostname}": Django answers 400 to requests through the ingress; add ".${domain}" or "${hostname}"` });
  }
  let url: URL | undefined;
  try {
    url = new URL(v.server.defaultDomain);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.hostname === '') {
    errors.push({ path: 'server.defaultDomain', message: 'must be a URL such as https://api.cluster-1.example.com:443 (or an in-cluster address such as http://backend-server.org-1:8000)' });
    return;
  }
  const urlHost = url.hostname.replace(/^\[|\]$/g, '');
  if (listed && !hostAllowed(urlHost, allowed)) {
    errors.push({
      path: 'server.defaultDomain',
      message: `host "${urlHost}" is not covered by config.ALLOWED_HOSTS: peers and the backend's own worker call this address and Django answers them 400; add "${urlHost}" or ".${urlHost.split('.').slice(1).join('.') || urlHost}" to ALLOWED_HOSTS`,
    });
  }
  const extraTls = (ingress as { extraTls?: unknown } | undefined)?.extraTls;
  const servedOverTls = Array.isArray(extraTls) && extraTls.some((t) => Array.isArray(t?.hosts) && t.hosts.includes(urlHost));
  if (url.protocol === 'https:' && urlHost === hostname && ingress?.enabled !== false && !servedOverTls) {
    warnings.push({
      path: 'server.defaultDomain',
      message: `is https://, but the ingress has no TLS for "${urlHost}" (server.ingress.extraTls): unless TLS ends before it (a load balancer), the controller serves its own self-signed certificate and peers, which verify certificates, refuse every call; add --tls-secret NAME or --cluster-issuer NAME`,
    });
  }
  if (hostname && urlHost !== hostname && !isInClusterName(urlHost)) {
    warnings.push({ path: 'server.defaultDomain', message: `host "${urlHost}" differs from server.ingress.hostname "${hostname}": peers will call "${urlHost}"` });
  }
}

/** incomingNodes/outgoingNodes were renamed in 18.1.0: the wrong spelling is silently ignored. */
function legacyKeyIssues(values: unknown, profile: ChartProfile): Issue[] {
  const accounts = (values as { addAccountOperator?: Record<string, unknown> } | null)?.addAccountOperator;
  if (!accounts || typeof accounts !== 'object') return [];
  const issues: Issue[] = [];
  const pairs: Array<[string, string]> =
    profile.incomingKey === 'incomingOrganizations'
      ? [['incomingNodes', 'incomingOrganizations'], ['outgoingNodes', 'outgoingOrganizations']]
      : [['incomingOrganizations', 'incomingNodes'], ['outgoingOrganizations', 'outgoingNodes']];
  for (const [wrong, right] of pairs) {
    if (wrong in accounts) {
      issues.push({ path: `addAccountOperator.${wrong}`, message: `chart ${profile.version} reads "${right}", not "${wrong}": rename the key` });
    }
  }
  return issues;
}
