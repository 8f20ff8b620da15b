import type { Answers, ListKey, PartialAnswers, ScalarKey } from './answers.js';
import * as rules from './rules.js';

/**
 * Each setting once: its flag, environment variable, where it lives in the values file, its
 * prompt, default, rule and help text. The flag parser, the prompts, reading a --values file,
 * writing the values document, the JSON Schema's descriptions and the README's flag table are
 * all derived from these tables, in the guide's order.
 */
export type ValuesLike = Record<string, unknown>;
export type ValuesPath = readonly string[];

/**
 * The deployment guide's parts, with their headings, in its order: the wizard's summary of a
 * file groups the settings under them.
 */
export const SECTION_TITLES = {
  organization: 'Organization',
  ingress: 'Backend exposure (ingress)',
  orchestrator: 'Orchestrator connection',
  channels: 'Channels',
  users: 'Users',
  links: 'Links with other organizations',
} as const;
export type Section = keyof typeof SECTION_TITLES;

interface SettingBase<K extends ScalarKey> {
  key: K;
  /** the part of the guide it belongs to */
  section: Section;
  /** long flag name without dashes, e.g. "msp-id" */
  flag: string;
  env: string;
  description: string;
  prompt: string;
  /** the default as the README and --help say it */
  defaultText: string;
  /** a usage-error hint when it is missing and cannot be asked */
  required?: boolean;
  /** may stay unset: an empty answer leaves it out of the file */
  optional?: boolean;
  /** how the README names where it lives, when the path alone would not read well */
  whereText?: string;
  /** asked (and meaningful) only when this holds */
  relevant?: (a: PartialAnswers) => boolean;
  default?: (a: PartialAnswers) => Answers[K] | undefined;
  /** what the wizard offers, following the answers so far (a flag-only run keeps the default) */
  suggest?: (a: PartialAnswers) => Answers[K] | undefined;
  /**
   * Where it lives in the values file: read from and written to this path. A setting without
   * one (the subdomain) only derives other settings' defaults and is read by `read`.
   */
  path?: ValuesPath;
  /** written only when this holds (the CA object name only with TLS) */
  writtenWhen?: (a: Answers) => boolean;
  read?: (v: ValuesLike) => Answers[K] | undefined;
}
export interface StringSetting<K extends ScalarKey = ScalarKey> extends SettingBase<K> {
  type: 'string';
  placeholder: string;
  rule: rules.Rule;
}
export interface BooleanSetting<K extends ScalarKey = ScalarKey> extends SettingBase<K> {
  /** the flag for true is --flag, for false --no-flag */
  type: 'boolean';
}
export interface PortSetting<K extends ScalarKey = ScalarKey> extends SettingBase<K> {
  type: 'port';
  placeholder: string;
  rule: rules.Rule;
}
export type Setting = StringSetting | BooleanSetting | PortSetting;

export function valueAt(values: unknown, path: ReadonlyArray<string | number>): unknown {
  let now = values;
  for (const key of path) {
    if (now === null || typeof now !== 'object') return undefined;
    now = (now as Record<string | number, unknown>)[key];
  }
  return now;
}

/**
 * In the same cluster the backend reaches the orchestrator's Service, which listens on 9000
 * (orchestrator chart); through an ingress, 443 with TLS and 80 without.
 */
export function defaultOrchestratorPort(a: Pick<PartialAnswers, 'tls' | 'sameCluster'>): number {
  if (a.sameCluster) return 9000;
  return a.tls ? 443 : 80;
}

/** The host values a domain and subdomain stand for, as the guide writes them. */
export function derivedHosts(a: Pick<PartialAnswers, 'hostDomain' | 'subdomain'>): Pick<Answers, 'hostname' | 'defaultDomain' | 'allowedHosts'> | undefined {
  if (!a.hostDomain) return undefined;
  const hostname = `${a.subdomain ?? 'api'}.${a.hostDomain}`;
  return { hostname, defaultDomain: `https://${hostname}:443`, allowedHosts: [`.${a.hostDomain}`] };
}

/** The Secret name for a host's certificate when none is given: `substra.example.com` → `substra-example-com-tls`. */
export function defaultTlsSecret(host: string): string {
  return `${host.replace(/\./g, '-').slice(0, 249).replace(/-+$/, '')}-tls`;
}

const str = (x: unknown): string | undefined => (typeof x === 'string' && x !== '' ? x : undefined);

export const SETTINGS: Setting[] = [
  {
    key: 'organization', section: 'organization', type: 'string', flag: 'organization', env: 'SUBSTRA_ORGANIZATION', placeholder: 'name',
    description: 'organization name (organizationName)', prompt: 'Organization name', required: true, defaultText: 'required',
    rule: rules.identifier, path: ['organizationName'],
  },
  {
    key: 'mspId', section: 'organization', type: 'string', flag: 'msp-id', env: 'SUBSTRA_MSP_ID', placeholder: 'id',
    description: 'orchestrator MSP ID (orchestrator.mspID); defaults to the organization', prompt: 'MSP ID on the orchestrator',
    defaultText: 'the organization', rule: rules.identifier, default: (a) => a.organization, path: ['orchestrator', 'mspID'],
  },
  {
    key: 'hostDomain', section: 'ingress', type: 'string', flag: 'host-domain', env: 'SUBSTRA_HOST_DOMAIN', placeholder: 'domain',
    description: 'host domain (server.commonHostDomain); derives the host settings below', prompt: 'Host domain (e.g. cluster-1.example.com)',
    required: true, defaultText: 'required', rule: rules.dnsName, path: ['server', 'commonHostDomain'],
  },
  {
    key: 'subdomain', section: 'ingress', type: 'string', flag: 'subdomain', env: 'SUBSTRA_SUBDOMAIN', placeholder: 'label',
    description: 'backend host label: derives server.ingress.hostname = LABEL.DOMAIN and server.defaultDomain', prompt: 'Backend subdomain',
    defaultText: '`api`', rule: rules.dnsLabel, default: () => 'api',
    read: (v) => {
      const host = str(valueAt(v, ['server', 'ingress', 'hostname']));
      const domain = str(valueAt(v, ['server', 'commonHostDomain']));
      if (!host || !domain || !host.endsWith(`.${domain}`)) return undefined;
      const label = host.slice(0, -domain.length - 1);
      return label.includes('.') ? undefined : label;
    },
  },
  {
    key: 'ingress', section: 'ingress', type: 'boolean', flag: 'ingress', env: 'SUBSTRA_INGRESS',
    description: 'create an ingress for the backend (server.ingress.enabled)', prompt: 'Create an ingress for the backend?',
    defaultText: 'on', default: () => true, path: ['server', 'ingress', 'enabled'],
  },
  {
    key: 'hostname', section: 'ingress', type: 'string', flag: 'hostname', env: 'SUBSTRA_HOSTNAME', placeholder: 'host',
    description: 'the ingress host (server.ingress.hostname)', prompt: 'Ingress host name',
    defaultText: '`<subdomain>.<domain>`', rule: rules.dnsName, default: (a) => derivedHosts(a)?.hostname, path: ['server', 'ingress', 'hostname'],
  },
  {
    key: 'defaultDomain', section: 'ingress', type: 'string', flag: 'default-domain', env: 'SUBSTRA_DEFAULT_DOMAIN', placeholder: 'url',
    description: 'the URL peers and the backend itself call (server.defaultDomain); an in-cluster address is fine', prompt: 'URL peers call this backend at',
    defaultText: '`https://<hostname>:443`', rule: rules.backendUrl, path: ['server', 'defaultDomain'],
    default: (a) => (a.hostname ? `https://${a.hostname}:443` : derivedHosts(a)?.defaultDomain),
  },
  {
    key: 'ingressClass', section: 'ingress', type: 'string', flag: 'ingress-class', env: 'SUBSTRA_INGRESS_CLASS', placeholder: 'name', optional: true,
    description: 'the ingress class (server.ingress.ingressClassName); unset: the cluster default', prompt: 'Ingress class (empty: the cluster default)',
    defaultText: 'the cluster default', rule: rules.dnsLabel, relevant: (a) => a.ingress !== false, path: ['server', 'ingress', 'ingressClassName'],
  },
  {
    key: 'uploadSize', section: 'ingress', type: 'string', flag: 'upload-size', env: 'SUBSTRA_UPLOAD_SIZE', placeholder: 'size', optional: true,
    description: "the largest upload nginx lets through to the backend (ingress annotation proxy-body-size; nginx's own default, 1m, refuses most datasets)",
    prompt: 'Largest upload through the ingress (nginx size, e.g. 100m)', defaultText: '`100m` in a new file', rule: rules.byteSize,
    relevant: (a) => a.ingress !== false, default: (a) => (a.ingress === false ? undefined : '100m'),
    path: ['server', 'ingress', 'annotations', 'nginx.ingress.kubernetes.io/proxy-body-size'],
    whereText: '`server.ingress.annotations` `nginx.ingress.kubernetes.io/proxy-body-size`',
  },
  {
    key: 'clusterIssuer', section: 'ingress', type: 'string', flag: 'cluster-issuer', env: 'SUBSTRA_CLUSTER_ISSUER', placeholder: 'name', optional: true,
    description: 'HTTPS for the ingress host from cert-manager: this ClusterIssuer signs it (annotation + server.ingress.extraTls)', prompt: 'cert-manager ClusterIssuer for HTTPS (empty: none)',
    defaultText: '—', rule: rules.objectName, relevant: (a) => a.ingress !== false,
    path: ['server', 'ingress', 'annotations', 'cert-manager.io/cluster-issuer'],
    whereText: '`server.ingress.annotations` `cert-manager.io/cluster-issuer`, `server.ingress.extraTls`',
  },
  {
    key: 'tlsSecret', section: 'ingress', type: 'string', flag: 'tls-secret', env: 'SUBSTRA_TLS_SECRET', placeholder: 'name', optional: true,
    description: 'HTTPS for the ingress host from an existing kubernetes.io/tls Secret (server.ingress.extraTls), or the Secret cert-manager fills', prompt: 'TLS Secret for HTTPS (empty: none)',
    defaultText: '`<hostname>-tls` with --cluster-issuer', rule: rules.objectName, relevant: (a) => a.ingress !== false,
    default: (a) => (a.clusterIssuer && a.hostname ? defaultTlsSecret(a.hostname) : undefined),
    read: (v) => {
      const tls = valueAt(v, ['server', 'ingress', 'extraTls']);
      const host = valueAt(v, ['server', 'ingress', 'hostname']);
      const entry = Array.isArray(tls) ? tls.find((t) => Array.isArray(t?.hosts) && t.hosts.includes(host)) : undefined;
      return str(entry?.secretName);
    },
    whereText: '`server.ingress.extraTls`',
  },
  {
    key: 'orchestratorHost', section: 'orchestrator', type: 'string', flag: 'orchestrator-host', env: 'SUBSTRA_ORCHESTRATOR_HOST', placeholder: 'host',
    description: 'orchestrator gRPC host (orchestrator.host); in-cluster: service.namespace', prompt: 'Orchestrator host', required: true,
    defaultText: 'required', rule: rules.hostOrAddress, path: ['orchestrator', 'host'],
    suggest: (a) => (a.hostDomain ? `orchestrator.${a.hostDomain}` : undefined),
  },
  {
    key: 'sameCluster', section: 'orchestrator', type: 'boolean', flag: 'orchestrator-same-cluster', env: 'SUBSTRA_ORCHESTRATOR_SAME_CLUSTER',
    description: 'the orchestrator runs in this cluster (orchestrator.sameCluster: picks the network policy)', prompt: 'Is the orchestrator in this same cluster?',
    defaultText: 'off', default: () => false, path: ['orchestrator', 'sameCluster'],
  },
  {
    key: 'tls', section: 'orchestrator', type: 'boolean', flag: 'orchestrator-tls', env: 'SUBSTRA_ORCHESTRATOR_TLS',
    description: 'talk TLS to the orchestrator (orchestrator.tls.enabled)', prompt: 'Does the orchestrator use TLS?',
    defaultText: 'off', default: () => false, path: ['orchestrator', 'tls', 'enabled'],
    // A port given already says it (443 is TLS, 80 is not); else an orchestrator reached from
    // outside the cluster goes through an ingress on 443 with TLS.
    suggest: (a) => (a.orchestratorPort === 443 ? true : a.orchestratorPort === 80 ? false : a.sameCluster !== true),
  },
  {
    key: 'orchestratorPort', section: 'orchestrator', type: 'port', flag: 'orchestrator-port', env: 'SUBSTRA_ORCHESTRATOR_PORT', placeholder: 'port',
    description: 'orchestrator port (orchestrator.port); 9000 in the same cluster, else 443 with TLS and 80 without', prompt: 'Orchestrator port',
    defaultText: "9000 in the same cluster (the orchestrator Service's port), else 443 with TLS and 80 without",
    rule: rules.port, default: (a) => defaultOrchestratorPort(a), path: ['orchestrator', 'port'],
  },
  {
    key: 'caCertName', section: 'orchestrator', type: 'string', flag: 'ca-cert-name', env: 'SUBSTRA_CA_CERT_NAME', placeholder: 'name',
    description: 'name of the cluster object holding the orchestrator CA (orchestrator.tls.cacert)', prompt: 'Name of the cluster object holding the orchestrator CA',
    defaultText: '`orchestrator-cacert`', rule: rules.objectName, relevant: (a) => a.tls === true, default: () => 'orchestrator-cacert',
    path: ['orchestrator', 'tls', 'cacert'], writtenWhen: (a) => a.tls,
  },
  {
    key: 'mtls', section: 'orchestrator', type: 'boolean', flag: 'mtls', env: 'SUBSTRA_MTLS',
    description: 'authenticate to the orchestrator with a client certificate (the chart ignores it without TLS)', prompt: 'Does the orchestrator require a client certificate (mTLS)?',
    defaultText: 'off', relevant: (a) => a.tls === true, default: () => false, path: ['orchestrator', 'tls', 'mtls', 'enabled'],
  },
  {
    key: 'clientCertSecret', section: 'orchestrator', type: 'string', flag: 'client-cert-secret', env: 'SUBSTRA_CLIENT_CERT_SECRET', placeholder: 'name',
    description: 'kubernetes.io/tls Secret with the client pair (orchestrator.tls.mtls.clientCertificate)', prompt: 'Name of the Secret holding the client certificate',
    defaultText: '`orchestrator-client-cert`', rule: rules.objectName, relevant: (a) => a.mtls === true, default: () => 'orchestrator-client-cert',
    path: ['orchestrator', 'tls', 'mtls', 'clientCertificate'], writtenWhen: (a) => a.mtls,
  },
];

/** A setting's value as the values file holds it, or undefined when it holds none of its type. */
export function readSetting(setting: Setting, values: ValuesLike): unknown {
  if (!setting.path) return setting.read?.(values);
  const raw = valueAt(values, setting.path);
  if (setting.type === 'boolean') return typeof raw === 'boolean' ? raw : undefined;
  if (setting.type === 'port') {
    if (typeof raw === 'string' && /^\s*\d+\s*$/.test(raw)) return Number(raw);
    return typeof raw === 'number' ? raw : undefined;
  }
  return str(raw);
}

/** The order the guide asks in; channels come after the orchestrator connection. */
export const PROMPT_ORDER: Array<ScalarKey | ListKey> = [
  'organization', 'mspId', 'hostDomain', 'subdomain', 'ingress', 'hostname', 'defaultDomain', 'allowedHosts',
  'ingressClass', 'uploadSize', 'clusterIssuer', 'tlsSecret', 'orchestratorHost', 'sameCluster', 'tls', 'orchestratorPort', 'channels', 'caCertName', 'mtls', 'clientCertSecret',
  'users', 'incoming', 'outgoing',
];

/** The sections in the guide's order, each with its settings in the order the wizard asks them. */
export function settingsBySection(): Array<{ section: Section; title: string; keys: Array<ScalarKey | ListKey> }> {
  const sectionOf = (key: ScalarKey | ListKey) => (SETTINGS.find((s) => s.key === key) ?? LIST_SETTINGS.find((l) => l.key === key))?.section;
  return (Object.keys(SECTION_TITLES) as Section[]).map((section) => ({
    section,
    title: SECTION_TITLES[section],
    keys: PROMPT_ORDER.filter((key) => sectionOf(key) === section),
  }));
}

export function settingFor(key: ScalarKey): Setting {
  const found = SETTINGS.find((s) => s.key === key);
  if (!found) throw new Error(`no setting ${key}`);
  return found;
}

export interface ListSetting {
  key: ListKey;
  /** the part of the guide it belongs to */
  section: Section;
  flag: string;
  removeFlag: string;
  env: string;
  placeholder: string;
  description: string;
  /** the values key(s) it sets, as the README says them */
  where: string;
  defaultText: string;
}

export const LIST_SETTINGS: ListSetting[] = [
  { key: 'allowedHosts', section: 'ingress', flag: 'allowed-host', removeFlag: 'remove-allowed-host', env: 'SUBSTRA_ALLOWED_HOSTS', placeholder: 'host',
    description: 'a host Django answers for (config.ALLOWED_HOSTS; ".domain" covers the domain and every name under it) (repeatable)',
    where: '`config.ALLOWED_HOSTS` (a JSON list in a string)', defaultText: '`.<domain>`' },
  { key: 'channels', section: 'channels', flag: 'channel', removeFlag: 'remove-channel', env: 'SUBSTRA_CHANNELS', placeholder: 'spec',
    description: 'a channel: NAME[,restricted][,model-export][,chaincode=NAME] (repeatable)',
    where: '`orchestrator.channels`', defaultText: 'at least one' },
  { key: 'users', section: 'users', flag: 'user', removeFlag: 'remove-user', env: 'SUBSTRA_USERS', placeholder: 'spec',
    description: 'a user: NAME,channel=CHANNEL[,password-env=VAR|,password-file=PATH] (repeatable)',
    where: '`addAccountOperator.users`', defaultText: '—' },
  { key: 'incoming', section: 'links', flag: 'incoming', removeFlag: 'remove-incoming', env: 'SUBSTRA_INCOMING', placeholder: 'spec',
    description: 'an incoming organization (one allowed to call this backend): MSPID[,secret-env=VAR|,secret-file=PATH] (repeatable)',
    where: '`addAccountOperator.incomingOrganizations`', defaultText: '—' },
  { key: 'outgoing', section: 'links', flag: 'outgoing', removeFlag: 'remove-outgoing', env: 'SUBSTRA_OUTGOING', placeholder: 'spec',
    description: 'an outgoing organization (one this backend calls): MSPID[,secret-env=VAR|,secret-file=PATH] (repeatable)',
    where: '`addAccountOperator.outgoingOrganizations`', defaultText: '—' },
];

export function listSettingFor(key: ListKey): ListSetting {
  const found = LIST_SETTINGS.find((l) => l.key === key);
  if (!found) throw new Error(`no list setting ${key}`);
  return found;
}

/** The description of the setting that lives at `path`, for the JSON Schema. */
export function describePath(path: ValuesPath): string | undefined {
  return SETTINGS.find((s) => s.path && s.path.join('.') === path.join('.'))?.description;
}

/** The README's table of init's settings, made from the tables above. */
export function settingsTableMarkdown(): string {
  const rows = ['| flag | environment | values key(s) | default |', '| --- | --- | --- | --- |'];
  for (const key of PROMPT_ORDER) {
    const list = LIST_SETTINGS.find((l) => l.key === key);
    if (list) {
      rows.push(`| \`--${list.flag} <${list.placeholder}>\` (repeatable), \`--${list.removeFlag} <name>\` | \`${list.env}\` (space-separated) | ${list.where} | ${list.defaultText} |`);
      continue;
    }
    const s = settingFor(key as ScalarKey);
    const flag = s.type === 'boolean' ? `\`--${s.flag}\` / \`--no-${s.flag}\`` : `\`--${s.flag} <${s.placeholder}>\``;
    const where = s.whereText ?? (s.path ? `\`${s.path.join('.')}\`` : 'derives the hosts');
    rows.push(`| ${flag} | \`${s.env}\` | ${where} | ${s.defaultText} |`);
  }
  return rows.join('\n');
}

/** Parses a flag or environment value for a scalar setting. */
export function parseSettingValue(setting: Setting, raw: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  if (setting.type === 'boolean') {
    const v = raw.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(v)) return { ok: true, value: true };
    if (['0', 'false', 'no', 'off'].includes(v)) return { ok: true, value: false };
    return { ok: false, problem: `must be true or false (got "${raw}")` };
  }
  const value = setting.type === 'port' ? raw.trim() : raw;
  const problem = setting.rule(value);
  if (problem) return { ok: false, problem };
  return { ok: true, value: setting.type === 'port' ? Number(value) : value };
}

