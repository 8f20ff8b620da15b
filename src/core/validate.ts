import type { ChartProfile } from './chart.js';
import type { Issue } from './errors.js';
import { crossCheckOrchestrator, type OrchestratorChannel } from './orchestrator.js';
import { wasGeneratedHere } from './generate.js';
import { checkPasswordsInProcess, type PasswordCheck, type PasswordChecker, type SettingsMode } from './password.js';
import { formatPath, toIssues, valuesSchema, type IncomingEntry, type ManagedValues, type OutgoingEntry } from './schema.js';
import { channelList } from './values-shape.js';

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
  const { errors, warnings, passwordChecks } = validateStructure(values, options);
  if (passwordChecks.length) {
    const results = await (options.checkPasswords ?? checkPasswordsInProcess)(passwordChecks.map((c) => c.check));
    passwordChecks.forEach(({ path, userName }, i) => {
      for (const problem of results[i] ?? []) {
        errors.push({ path, message: `${problem}; the backend would silently not create user "${userName}"` });
      }
    });
  }
  return { errors, warnings };
}

interface PendingPasswordCheck {
  path: string;
  userName: string;
  check: PasswordCheck;
}

/** Every rule but the password strength, which is returned as checks still to run. */
export function validateStructure(
  values: unknown,
  options: ValidateOptions,
): ValidationReport & { passwordChecks: PendingPasswordCheck[] } {
  const { profile } = options;
  const warnings: Issue[] = [];
  const parsed = valuesSchema(profile).safeParse(values);
  const legacy = legacyKeyIssues(values, profile);
  const legacyPaths = new Set(legacy.map((i) => i.path));
  // A renamed key would also be reported as unknown; the rename message says more.
  const errors: Issue[] = parsed.success ? [] : toIssues(parsed.error).filter((i) => !legacyPaths.has(i.path));
  errors.push(...legacy);
  if (!parsed.success) return { errors, warnings, passwordChecks: [] };
  const v = parsed.data as unknown as ManagedValues;
  const passwordChecks = crossFieldRules(v, profile, errors, warnings);
  if (options.orchestratorChannels) errors.push(...crossCheckOrchestrator(v, options.orchestratorChannels));
  return { errors, warnings, passwordChecks };
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
  incoming.forEach((o, i) => {
    if (o.channel !== undefined && !channelNames.includes(o.channel)) {
      errors.push({ path: at(profile.incomingKey, i, 'channel'), message: `channel "${o.channel}" is not in orchestrator.channels (${channelHint})` });
    }
  });

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

  const tls = v.orchestrator.tls ?? {};
  const mtls = tls.mtls ?? {};
  if (mtls.enabled && !tls.enabled) {
    errors.push({ path: 'orchestrator.tls.mtls.enabled', message: 'mTLS needs TLS: set orchestrator.tls.enabled: true (--orchestrator-tls) or turn mTLS off' });
  }
  if (mtls.enabled && !mtls.clientCertificate) {
    errors.push({ path: 'orchestrator.tls.mtls.clientCertificate', message: 'is missing: name the kubernetes.io/tls Secret holding the client pair (--client-cert-secret)' });
  }
  if (tls.enabled && !tls.cacert) {
    warnings.push({ path: 'orchestrator.tls.cacert', message: "not set: the orchestrator's certificate must then be signed by a public CA (--ca-cert-name)" });
  }
  if (tls.enabled && v.orchestrator.port === 80) {
    warnings.push({ path: 'orchestrator.port', message: 'is 80 with TLS on; TLS endpoints usually listen on 443' });
  }
  if (!tls.enabled && v.orchestrator.port === 443) {
    warnings.push({ path: 'orchestrator.port', message: 'is 443 with TLS off; plain endpoints usually listen on 80 (--orchestrator-tls?)' });
  }

  hostRules(v, errors, warnings);
  return passwordChecks;
}

function hostRules(v: ManagedValues, errors: Issue[], warnings: Issue[]): void {
  const domain = v.server.commonHostDomain;
  let hosts: unknown;
  try {
    hosts = JSON.parse(v.config.ALLOWED_HOSTS);
  } catch {
    hosts = undefined;
  }
  if (!Array.isArray(hosts) || !hosts.every((h) => typeof h === 'string')) {
    errors.push({
      path: 'config.ALLOWED_HOSTS',
      message: `must be a string holding a JSON list of hosts, such as '[".${domain}"]' (double quotes inside, single quotes around)`,
    });
  } else if (!hosts.some((h: string) => h === `.${domain}` || h === '*')) {
    warnings.push({
      path: 'config.ALLOWED_HOSTS',
      message: `does not contain ".${domain}" (with the leading dot); the backend answers 400 to hosts it does not list`,
    });
  }
  const hostname = v.server.ingress?.hostname;
  if (hostname && hostname !== domain && !hostname.endsWith(`.${domain}`)) {
    warnings.push({ path: 'server.ingress.hostname', message: `"${hostname}" is not under server.commonHostDomain "${domain}"` });
  }
  let url: URL | undefined;
  try {
    url = new URL(v.server.defaultDomain);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol)) {
    errors.push({ path: 'server.defaultDomain', message: 'must be a URL such as https://api.cluster-1.example.com:443' });
  } else if (hostname && url.hostname !== hostname) {
    warnings.push({ path: 'server.defaultDomain', message: `host "${url.hostname}" differs from server.ingress.hostname "${hostname}"` });
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
