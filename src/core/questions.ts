import type { AccountKind, Answers, PartialAnswers, ScalarKey } from './answers.js';
import type { ChartProfile } from './chart.js';
import * as rules from './rules.js';

/**
 * Each setting once: its flag, environment variable, where it lives in the values file, its
 * prompt, default and rule. The flag parser, the prompts, the resolution from a --values file
 * and the help text are all derived from this table, in the guide's order.
 */
export type ValuesLike = Record<string, unknown>;

interface SettingBase<K extends ScalarKey> {
  key: K;
  /** long flag name without dashes, e.g. "msp-id" */
  flag: string;
  env: string;
  description: string;
  prompt: string;
  /** a usage-error hint when it is missing and cannot be asked */
  required?: boolean;
  /** asked (and meaningful) only when this holds */
  relevant?: (a: PartialAnswers) => boolean;
  default?: (a: PartialAnswers) => Answers[K] | undefined;
  fromValues: (v: ValuesLike, profile: ChartProfile) => Answers[K] | undefined;
}
export interface StringSetting<K extends ScalarKey = ScalarKey> extends SettingBase<K> {
  type: 'string';
  placeholder: string;
  rule: rules.Rule;
}
export interface BooleanSetting<K extends ScalarKey = ScalarKey> extends SettingBase<K> {
  type: 'boolean';
  /** the flag for true is --flag, for false --no-flag */
}
export interface PortSetting<K extends ScalarKey = ScalarKey> extends SettingBase<K> {
  type: 'port';
  placeholder: string;
  rule: rules.Rule;
}
export type Setting = StringSetting | BooleanSetting | PortSetting;

/**
 * In the same cluster the backend reaches the orchestrator's Service, which listens on 9000
 * (orchestrator chart); through an ingress, 443 with TLS and 80 without.
 */
export function defaultOrchestratorPort(a: Pick<PartialAnswers, 'tls' | 'sameCluster'>): number {
  if (a.sameCluster) return 9000;
  return a.tls ? 443 : 80;
}

const get = (v: unknown, ...path: string[]): unknown => {
  let cur = v;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
};
const str = (x: unknown): string | undefined => (typeof x === 'string' && x !== '' ? x : undefined);
const boolOf = (x: unknown): boolean | undefined => (typeof x === 'boolean' ? x : undefined);

export const SETTINGS: Setting[] = [
  {
    key: 'organization', type: 'string', flag: 'organization', env: 'SUBSTRA_ORGANIZATION', placeholder: 'name',
    description: 'organization name (organizationName)', prompt: 'Organization name', required: true,
    rule: rules.identifier, fromValues: (v) => str(v.organizationName),
  },
  {
    key: 'mspId', type: 'string', flag: 'msp-id', env: 'SUBSTRA_MSP_ID', placeholder: 'id',
    description: 'orchestrator MSP ID (orchestrator.mspID); defaults to the organization', prompt: 'MSP ID on the orchestrator',
    rule: rules.identifier, default: (a) => a.organization, fromValues: (v) => str(get(v, 'orchestrator', 'mspID')),
  },
  {
    key: 'hostDomain', type: 'string', flag: 'host-domain', env: 'SUBSTRA_HOST_DOMAIN', placeholder: 'domain',
    description: 'host domain (server.commonHostDomain, config.ALLOWED_HOSTS)', prompt: 'Host domain (e.g. cluster-1.example.com)', required: true,
    rule: rules.dnsName, fromValues: (v) => str(get(v, 'server', 'commonHostDomain')),
  },
  {
    key: 'subdomain', type: 'string', flag: 'subdomain', env: 'SUBSTRA_SUBDOMAIN', placeholder: 'label',
    description: 'backend host label (server.ingress.hostname = LABEL.DOMAIN)', prompt: 'Backend subdomain',
    rule: rules.dnsLabel, default: () => 'api',
    fromValues: (v) => {
      const host = str(get(v, 'server', 'ingress', 'hostname'));
      const domain = str(get(v, 'server', 'commonHostDomain'));
      if (!host || !domain || !host.endsWith(`.${domain}`)) return undefined;
      const label = host.slice(0, -domain.length - 1);
      return label.includes('.') ? undefined : label;
    },
  },
  {
    key: 'ingress', type: 'boolean', flag: 'ingress', env: 'SUBSTRA_INGRESS',
    description: 'create an ingress for the backend (server.ingress.enabled)', prompt: 'Create an ingress for the backend?',
    default: () => true, fromValues: (v) => boolOf(get(v, 'server', 'ingress', 'enabled')),
  },
  {
    key: 'orchestratorHost', type: 'string', flag: 'orchestrator-host', env: 'SUBSTRA_ORCHESTRATOR_HOST', placeholder: 'host',
    description: 'orchestrator gRPC host (orchestrator.host); in-cluster: service.namespace', prompt: 'Orchestrator host', required: true,
    rule: rules.hostOrAddress, fromValues: (v) => str(get(v, 'orchestrator', 'host')),
  },
  {
    key: 'tls', type: 'boolean', flag: 'orchestrator-tls', env: 'SUBSTRA_ORCHESTRATOR_TLS',
    description: 'talk TLS to the orchestrator (orchestrator.tls.enabled)', prompt: 'Does the orchestrator use TLS?',
    default: () => false, fromValues: (v) => boolOf(get(v, 'orchestrator', 'tls', 'enabled')),
  },
  {
    key: 'orchestratorPort', type: 'port', flag: 'orchestrator-port', env: 'SUBSTRA_ORCHESTRATOR_PORT', placeholder: 'port',
    description: 'orchestrator port (orchestrator.port); 9000 in the same cluster, else 443 with TLS and 80 without', prompt: 'Orchestrator port',
    rule: rules.port, default: (a) => defaultOrchestratorPort(a),
    fromValues: (v) => {
      const p = get(v, 'orchestrator', 'port');
      if (typeof p === 'string' && /^\s*\d+\s*$/.test(p)) return Number(p);
      return typeof p === 'number' ? p : undefined;
    },
  },
  {
    key: 'sameCluster', type: 'boolean', flag: 'orchestrator-same-cluster', env: 'SUBSTRA_ORCHESTRATOR_SAME_CLUSTER',
    description: 'the orchestrator runs in this cluster (orchestrator.sameCluster)', prompt: 'Is the orchestrator in this same cluster?',
    default: () => false, fromValues: (v) => boolOf(get(v, 'orchestrator', 'sameCluster')),
  },
  {
    key: 'caCertName', type: 'string', flag: 'ca-cert-name', env: 'SUBSTRA_CA_CERT_NAME', placeholder: 'name',
    description: 'name of the cluster object holding the orchestrator CA (orchestrator.tls.cacert)', prompt: 'Name of the cluster object holding the orchestrator CA',
    rule: rules.objectName, relevant: (a) => a.tls === true, default: () => 'orchestrator-cacert',
    fromValues: (v) => str(get(v, 'orchestrator', 'tls', 'cacert')),
  },
  {
    key: 'mtls', type: 'boolean', flag: 'mtls', env: 'SUBSTRA_MTLS',
    description: 'authenticate to the orchestrator with a client certificate (needs TLS)', prompt: 'Does the orchestrator require a client certificate (mTLS)?',
    relevant: (a) => a.tls === true, default: () => false, fromValues: (v) => boolOf(get(v, 'orchestrator', 'tls', 'mtls', 'enabled')),
  },
  {
    key: 'clientCertSecret', type: 'string', flag: 'client-cert-secret', env: 'SUBSTRA_CLIENT_CERT_SECRET', placeholder: 'name',
    description: 'kubernetes.io/tls Secret with the client pair (orchestrator.tls.mtls.clientCertificate)', prompt: 'Name of the Secret holding the client certificate',
    rule: rules.objectName, relevant: (a) => a.mtls === true, default: () => 'orchestrator-client-cert',
    fromValues: (v) => str(get(v, 'orchestrator', 'tls', 'mtls', 'clientCertificate')),
  },
];

/** The order the guide asks in; channels come after the orchestrator connection. */
export const PROMPT_ORDER: Array<ScalarKey | 'channels' | AccountKind> = [
  'organization', 'mspId', 'hostDomain', 'subdomain', 'ingress', 'orchestratorHost', 'sameCluster', 'tls', 'orchestratorPort',
  'channels', 'caCertName', 'mtls', 'clientCertSecret', 'users', 'incoming', 'outgoing',
];

export function settingFor(key: ScalarKey): Setting {
  const found = SETTINGS.find((s) => s.key === key);
  if (!found) throw new Error(`no setting ${key}`);
  return found;
}

export interface ListSetting {
  key: 'channels' | AccountKind;
  flag: string;
  removeFlag: string;
  env: string;
  placeholder: string;
  description: string;
}

export const LIST_SETTINGS: ListSetting[] = [
  { key: 'channels', flag: 'channel', removeFlag: 'remove-channel', env: 'SUBSTRA_CHANNELS', placeholder: 'spec',
    description: 'a channel: NAME[,restricted][,model-export][,chaincode=NAME] (repeatable)' },
  { key: 'users', flag: 'user', removeFlag: 'remove-user', env: 'SUBSTRA_USERS', placeholder: 'spec',
    description: 'a user: NAME,channel=CHANNEL[,password-env=VAR|,password-file=PATH] (repeatable)' },
  { key: 'incoming', flag: 'incoming', removeFlag: 'remove-incoming', env: 'SUBSTRA_INCOMING', placeholder: 'spec',
    description: 'an incoming organization (one allowed to call this backend): MSPID[,secret-env=VAR|,secret-file=PATH] (repeatable)' },
  { key: 'outgoing', flag: 'outgoing', removeFlag: 'remove-outgoing', env: 'SUBSTRA_OUTGOING', placeholder: 'spec',
    description: 'an outgoing organization (one this backend calls): MSPID[,secret-env=VAR|,secret-file=PATH] (repeatable)' },
];

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
