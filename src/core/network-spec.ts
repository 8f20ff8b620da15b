import * as z from 'zod/mini';
import type { AccountAnswer, Answers, ChannelAnswer, PartialAnswers } from './answers.js';
import { NEWEST_KNOWN_CHART, parseChartVersion, unsupportedChart } from './chart.js';
import { settleHostSettings } from './hosts.js';
import type { Issue } from './errors.js';
import * as rules from './rules.js';
// Also sets zod's config (English messages, memoizer, jitless) before the schema below is built.
import { formatPath, toIssues } from './schema.js';
import { isRestricted } from './values-shape.js';
import { defaultOrchestratorPort, defaultTlsSecret, derivedHosts } from './questions.js';
import { DEFAULT_SERVER_PAIR_SECRET, defaultClientCASecret, type OrchestratorSettings } from './orchestrator-chart.js';

const DEFAULT_CA_CERT_NAME = 'orchestrator-cacert';

/**
 * A whole network in one file: organizations, orchestrator, channels with their members and
 * users. `substra-deploy network` turns it into one values file per organization (linked with
 * each other) and the orchestrator's channels.
 */
const ruled = (rule: rules.Rule, what: string) =>
  z.string({ error: (i) => (i.input === undefined ? `is missing: give ${what}` : `must be ${what}`) }).check(
    z.superRefine((v: string, ctx) => {
      const problem = rule(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  );

export const networkSpecSchema = z.strictObject({
  chartVersion: z.optional(
    ruled((v) => {
      const version = parseChartVersion(v);
      return version ? unsupportedChart(version) : `must be a chart version such as ${NEWEST_KNOWN_CHART} (got "${v}")`;
    }, `a chart version such as ${NEWEST_KNOWN_CHART}, in quotes`),
  ),
  /** HTTPS for every backend's ingress host from cert-manager (a ClusterIssuer name) */
  clusterIssuer: z.optional(ruled(rules.objectName, 'a ClusterIssuer name')),
  secretsMode: z.optional(z.enum(['values', 'secret'])),
  orchestrator: z.strictObject({
    host: ruled(rules.hostOrAddress, 'the orchestrator host'),
    port: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(65535))),
    tls: z.optional(z.boolean()),
    caCertName: z.optional(ruled(rules.objectName, 'a Secret/ConfigMap name')),
    mtls: z.optional(z.boolean()),
    clientCertSecret: z.optional(ruled(rules.objectName, 'a Secret name')),
    ingressClass: z.optional(ruled(rules.objectName, 'an IngressClass name')),
    tlsSecret: z.optional(ruled(rules.objectName, 'a Secret name')),
    clusterIssuer: z.optional(ruled(rules.objectName, 'a cert-manager ClusterIssuer name')),
  }),
  channels: z
    .array(
      z.strictObject({
        name: ruled(rules.channelName, 'a channel name'),
        members: z.array(z.string(), { error: 'must list the member organizations by name' }).check(z.minLength(1, 'must list at least one member')),
        restricted: z.optional(z.boolean()),
        modelExport: z.optional(z.boolean()),
        chaincode: z.optional(ruled(rules.chaincodeName, 'a chaincode name')),
      }),
    )
    .check(z.minLength(1, 'must list at least one channel')),
  organizations: z
    .array(
      z.strictObject({
        name: ruled(rules.identifier, 'the organization name'),
        mspID: z.optional(ruled(rules.identifier, 'an mspID')),
        domain: ruled(rules.dnsName, 'its host domain, e.g. ingen.example.com'),
        subdomain: z.optional(ruled(rules.dnsLabel, 'a host label')),
        sameCluster: z.optional(z.boolean()),
        file: z.optional(z.string().check(z.minLength(1))),
        clientCASecret: z.optional(ruled(rules.objectName, 'a Secret name')),
        users: z.optional(
          z.array(
            z.strictObject({
              name: ruled(rules.userName, 'a user name'),
              channel: z.optional(ruled(rules.channelName, 'a channel name')),
            }),
          ),
        ),
      }),
    )
    .check(z.minLength(1, 'must list at least one organization')),
});

export type NetworkSpec = z.infer<typeof networkSpecSchema>;
export type SpecOrganization = NetworkSpec['organizations'][number];

/** The keys the network file's own schema knows at `path` (list indexes step into the item). */
function specKeysAt(path: ReadonlyArray<PropertyKey>): string[] {
  let schema: z.core.$ZodType = networkSpecSchema;
  for (const part of path) {
    while (schema instanceof z.ZodMiniOptional) schema = schema._zod.def.innerType;
    if (typeof part === 'number' && schema instanceof z.ZodMiniArray) schema = schema._zod.def.element;
    else if (typeof part === 'string' && schema instanceof z.ZodMiniObject) schema = (schema._zod.def.shape as Record<string, z.core.$ZodType>)[part] ?? z.never();
    else return [];
  }
  while (schema instanceof z.ZodMiniOptional) schema = schema._zod.def.innerType;
  return schema instanceof z.ZodMiniObject ? Object.keys(schema._zod.def.shape) : [];
}

/** An unknown key of the network file is a mistake in the network file: nothing reads it. */
const SPEC_UNKNOWN_KEYS = { consequence: 'the network file has no such key', knownAt: specKeysAt };

/** The network file's structure and its cross-references, each problem by path in the network file. */
export function validateNetworkSpec(input: unknown): { spec?: NetworkSpec; errors: Issue[] } {
  const parsed = networkSpecSchema.safeParse(input);
  if (!parsed.success) return { errors: toIssues(parsed.error, SPEC_UNKNOWN_KEYS) };
  const spec = parsed.data;
  const errors: Issue[] = [];
  const unique = (names: string[], pathOf: (i: number) => string, what: string) => {
    names.forEach((n, i) => {
      const first = names.indexOf(n);
      if (first !== i) errors.push({ path: pathOf(i), message: `duplicate ${what} "${n}" (also at ${pathOf(first)})` });
    });
  };
  const orgNames = spec.organizations.map((o) => o.name);
  unique(orgNames, (i) => formatPath(['organizations', i, 'name']), 'organization');
  unique(spec.organizations.map((o) => o.mspID ?? o.name), (i) => formatPath(['organizations', i, 'mspID']), 'mspID');
  unique(spec.channels.map((c) => c.name), (i) => formatPath(['channels', i, 'name']), 'channel');
  spec.channels.forEach((c, i) => {
    unique(c.members, (j) => formatPath(['channels', i, 'members', j]), 'member');
    c.members.forEach((m, j) => {
      if (!orgNames.includes(m)) errors.push({ path: formatPath(['channels', i, 'members', j]), message: `"${m}" is not one of the organizations (${orgNames.join(', ')})` });
    });
    if (isRestricted(c.name, c) && c.members.length !== 1) {
      errors.push({ path: formatPath(['channels', i, c.restricted ? 'restricted' : 'name']), message: `a restricted channel${c.restricted ? '' : ' (every solo-* channel is)'} has exactly one member (it has ${c.members.length}); the backend refuses to start otherwise` });
    }
  });
  if (spec.orchestrator.mtls && !spec.orchestrator.tls) errors.push({ path: 'orchestrator.mtls', message: 'mTLS needs TLS: set orchestrator.tls: true' });
  for (const key of ['tlsSecret', 'clusterIssuer'] as const) {
    if (spec.orchestrator[key] !== undefined && !spec.orchestrator.tls) errors.push({ path: `orchestrator.${key}`, message: 'is for the server certificate, which TLS needs: set orchestrator.tls: true' });
  }
  // Two organizations sharing a client-CA Secret by accident would each accept the other's CA;
  // sharing one on purpose (every client certificate from one CA) is written out in the network file.
  const resolved = spec.organizations.map(clientCASecretOf);
  spec.organizations.forEach((org, i) => {
    if (!spec.orchestrator.mtls || org.clientCASecret !== undefined) return;
    const other = resolved.findIndex((name, j) => j !== i && name === resolved[i]);
    if (other !== -1) {
      errors.push({
        path: formatPath(['organizations', i, 'clientCASecret']),
        message: `is missing, and its default "${resolved[i]}" is also the client-CA Secret of organizations[${other}]: give each organization its own (or name the shared one on both)`,
      });
    }
  });
  spec.organizations.forEach((org, i) => {
    const channels = channelsOf(spec, org.name);
    if (channels.length === 0) errors.push({ path: formatPath(['organizations', i]), message: `"${org.name}" is a member of no channel` });
    (org.users ?? []).forEach((u, j) => {
      if (u.channel !== undefined && !channels.includes(u.channel)) {
        errors.push({ path: formatPath(['organizations', i, 'users', j, 'channel']), message: `"${u.channel}" is not a channel of ${org.name} (${channels.join(', ') || 'none'})` });
      }
      if (u.channel === undefined && channels.length > 1) {
        errors.push({ path: formatPath(['organizations', i, 'users', j, 'channel']), message: `is missing: ${org.name} is in several channels (${channels.join(', ')})` });
      }
    });
    unique((org.users ?? []).map((u) => u.name), (j) => formatPath(['organizations', i, 'users', j, 'name']), 'user');
  });
  return errors.length ? { errors } : { spec, errors };
}

export function channelsOf(spec: NetworkSpec, orgName: string): string[] {
  return spec.channels.filter((c) => c.members.includes(orgName)).map((c) => c.name);
}

export const mspIDOf = (org: SpecOrganization) => org.mspID ?? org.name;

/** The Secret in the orchestrator's namespace holding the CA of the organization's client certificates. */
export const clientCASecretOf = (org: SpecOrganization) => org.clientCASecret ?? defaultClientCASecret(mspIDOf(org));

/**
 * One organization's answers from the network file; accounts are filled by the caller. The host
 * settings a file already has stay, unless the network file's domain or subdomain moved them
 * (settleHostSettings); `notes` says which followed.
 */
export function organizationAnswers(
  spec: NetworkSpec,
  org: SpecOrganization,
  fromFile: PartialAnswers = {},
  notes: Issue[] = [],
): Omit<Answers, 'users' | 'incoming' | 'outgoing'> {
  const hostDomain = org.domain;
  const subdomain = org.subdomain ?? 'api';
  const settled = settleHostSettings({
    fromFile,
    answers: { hostDomain, subdomain, hostname: fromFile.hostname, defaultDomain: fromFile.defaultDomain, allowedHosts: fromFile.allowedHosts },
    given: new Set(['subdomain']),
    addHosts: [],
    removeHosts: [],
  });
  notes.push(...settled.notes);
  const derived = derivedHosts({ hostDomain, subdomain }) as NonNullable<ReturnType<typeof derivedHosts>>;
  const hostname = settled.hostname ?? fromFile.hostname ?? derived.hostname;
  const tls = spec.orchestrator.tls ?? false;
  const channels: ChannelAnswer[] = spec.channels
    .filter((c) => c.members.includes(org.name))
    .map((c) => ({ name: c.name, restricted: c.restricted ?? false, modelExport: c.modelExport ?? false, ...(c.chaincode === undefined ? {} : { chaincode: c.chaincode }) }));
  return {
    organization: org.name,
    mspId: mspIDOf(org),
    hostDomain,
    subdomain,
    ingress: fromFile.ingress ?? true,
    hostname,
    ...(fromFile.clusterIssuer ?? spec.clusterIssuer ? { clusterIssuer: fromFile.clusterIssuer ?? spec.clusterIssuer } : {}),
    ...(fromFile.tlsSecret ?? spec.clusterIssuer ? { tlsSecret: fromFile.tlsSecret ?? defaultTlsSecret(hostname) } : {}),
    ...(fromFile.ingressClass ? { ingressClass: fromFile.ingressClass } : {}),
    ...(fromFile.uploadSize ? { uploadSize: fromFile.uploadSize } : {}),
    defaultDomain: settled.defaultDomain ?? fromFile.defaultDomain ?? `https://${hostname}:443`,
    allowedHosts: settled.allowedHosts ?? fromFile.allowedHosts ?? derived.allowedHosts,
    orchestratorHost: spec.orchestrator.host,
    orchestratorPort: spec.orchestrator.port ?? defaultOrchestratorPort({ tls, sameCluster: org.sameCluster ?? false }),
    sameCluster: org.sameCluster ?? false,
    channels,
    tls,
    caCertName: spec.orchestrator.caCertName ?? DEFAULT_CA_CERT_NAME,
    mtls: spec.orchestrator.mtls ?? false,
    clientCertSecret: spec.orchestrator.clientCertSecret ?? 'orchestrator-client-cert',
  };
}

/** The network file's users of `org`, each with its channel resolved. */
export function specUsers(spec: NetworkSpec, org: SpecOrganization): AccountAnswer[] {
  const channels = channelsOf(spec, org.name);
  return (org.users ?? []).map((u) => ({ name: u.name, channel: u.channel ?? channels[0] }));
}

/** The orchestrator chart's values the network file decides (orchestrator-chart.ts lays them out). */
export function orchestratorSettings(spec: NetworkSpec): OrchestratorSettings {
  return {
    host: spec.orchestrator.host,
    tls: spec.orchestrator.tls ?? false,
    mtls: spec.orchestrator.mtls ?? false,
    // The same CA the backends trust under this name: the one that signed the server pair.
    caSecret: spec.orchestrator.caCertName ?? DEFAULT_CA_CERT_NAME,
    serverPairSecret: spec.orchestrator.tlsSecret ?? DEFAULT_SERVER_PAIR_SECRET,
    clusterIssuer: spec.orchestrator.clusterIssuer,
    ingressClass: spec.orchestrator.ingressClass,
    clientCAs: spec.organizations.map((org) => ({ mspID: mspIDOf(org), secrets: [clientCASecretOf(org)] })),
    channels: orchestratorChannelValues(spec),
  };
}

/** The orchestrator chart's `channels` value. */
export function orchestratorChannelValues(spec: NetworkSpec): Array<{ name: string; organizations: string[] }> {
  const byName = new Map(spec.organizations.map((o) => [o.name, mspIDOf(o)]));
  return spec.channels.map((c) => ({ name: c.name, organizations: c.members.map((m) => byName.get(m) ?? m) }));
}
