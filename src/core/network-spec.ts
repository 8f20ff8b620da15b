import * as z from 'zod';
import type { AccountAnswer, Answers, ChannelAnswer, PartialAnswers } from './answers.js';
import { settleHostSettings } from './hosts.js';
import type { Issue } from './errors.js';
import * as rules from './rules.js';
import { formatPath, toIssues } from './schema.js';
import { isRestricted } from './values-shape.js';
import { defaultOrchestratorPort, derivedHosts } from './questions.js';

/**
 * A whole network in one file: organizations, orchestrator, channels with their members and
 * users. `substra-deploy network` turns it into one values file per organization (linked with
 * each other) and the orchestrator's channels.
 */
const ruled = (rule: rules.Rule, what: string) =>
  z.string({ error: (i) => (i.input === undefined ? `is missing: give ${what}` : `must be ${what}`) }).superRefine((v, ctx) => {
    const problem = rule(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const networkSpecSchema = z.strictObject({
  chartVersion: z.string().optional(),
  /** HTTPS for every backend's ingress host from cert-manager (a ClusterIssuer name) */
  clusterIssuer: ruled(rules.objectName, 'a ClusterIssuer name').optional(),
  secretsMode: z.enum(['values', 'secret']).optional(),
  orchestrator: z.strictObject({
    host: ruled(rules.hostOrAddress, 'the orchestrator host'),
    port: z.number().int().min(1).max(65535).optional(),
    tls: z.boolean().optional(),
    caCertName: ruled(rules.objectName, 'a Secret/ConfigMap name').optional(),
    mtls: z.boolean().optional(),
    clientCertSecret: ruled(rules.objectName, 'a Secret name').optional(),
  }),
  channels: z
    .array(
      z.strictObject({
        name: ruled(rules.channelName, 'a channel name'),
        members: z.array(z.string(), { error: 'must list the member organizations by name' }).min(1, 'must list at least one member'),
        restricted: z.boolean().optional(),
        modelExport: z.boolean().optional(),
        chaincode: ruled(rules.chaincodeName, 'a chaincode name').optional(),
      }),
    )
    .min(1, 'must list at least one channel'),
  organizations: z
    .array(
      z.strictObject({
        name: ruled(rules.identifier, 'the organization name'),
        mspID: ruled(rules.identifier, 'an mspID').optional(),
        domain: ruled(rules.dnsName, 'its host domain, e.g. ingen.example.com'),
        subdomain: ruled(rules.dnsLabel, 'a host label').optional(),
        sameCluster: z.boolean().optional(),
        file: z.string().min(1).optional(),
        users: z
          .array(
            z.strictObject({
              name: ruled(rules.userName, 'a user name'),
              channel: ruled(rules.channelName, 'a channel name').optional(),
            }),
          )
          .optional(),
      }),
    )
    .min(1, 'must list at least one organization'),
});

export type NetworkSpec = z.infer<typeof networkSpecSchema>;
export type SpecOrganization = NetworkSpec['organizations'][number];

/** The spec's structure and its cross-references, each problem by path in the spec. */
export function validateNetworkSpec(input: unknown): { spec?: NetworkSpec; errors: Issue[] } {
  const parsed = networkSpecSchema.safeParse(input);
  if (!parsed.success) return { errors: toIssues(parsed.error) };
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
    c.members.forEach((m, j) => {
      if (!orgNames.includes(m)) errors.push({ path: formatPath(['channels', i, 'members', j]), message: `"${m}" is not one of the organizations (${orgNames.join(', ')})` });
    });
    if (isRestricted(c.name, c) && c.members.length !== 1) {
      errors.push({ path: formatPath(['channels', i, c.restricted ? 'restricted' : 'name']), message: `a restricted channel${c.restricted ? '' : ' (every solo-* channel is)'} has exactly one member (it has ${c.members.length}); the backend refuses to start otherwise` });
    }
  });
  if (spec.orchestrator.mtls && !spec.orchestrator.tls) errors.push({ path: 'orchestrator.mtls', message: 'mTLS needs TLS: set orchestrator.tls: true' });
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

/**
 * One organization's answers from the spec; accounts are filled by the caller. The host
 * settings a file already has stay, unless the spec's domain or subdomain moved them
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
    ...(fromFile.tlsSecret ?? spec.clusterIssuer ? { tlsSecret: fromFile.tlsSecret ?? `${hostname.replace(/\./g, '-')}-tls` } : {}),
    ...(fromFile.ingressClass ? { ingressClass: fromFile.ingressClass } : {}),
    ...(fromFile.uploadSize ? { uploadSize: fromFile.uploadSize } : {}),
    defaultDomain: settled.defaultDomain ?? fromFile.defaultDomain ?? `https://${hostname}:443`,
    allowedHosts: settled.allowedHosts ?? fromFile.allowedHosts ?? derived.allowedHosts,
    orchestratorHost: spec.orchestrator.host,
    orchestratorPort: spec.orchestrator.port ?? defaultOrchestratorPort({ tls, sameCluster: org.sameCluster ?? false }),
    sameCluster: org.sameCluster ?? false,
    channels,
    tls,
    caCertName: spec.orchestrator.caCertName ?? 'orchestrator-cacert',
    mtls: spec.orchestrator.mtls ?? false,
    clientCertSecret: spec.orchestrator.clientCertSecret ?? 'orchestrator-client-cert',
  };
}

/** The spec's users of `org`, each with its channel resolved. */
export function specUsers(spec: NetworkSpec, org: SpecOrganization): AccountAnswer[] {
  const channels = channelsOf(spec, org.name);
  return (org.users ?? []).map((u) => ({ name: u.name, channel: u.channel ?? channels[0] }));
}

/** The orchestrator chart's `channels` value. */
export function orchestratorChannelValues(spec: NetworkSpec): Array<{ name: string; organizations: string[] }> {
  const byName = new Map(spec.organizations.map((o) => [o.name, mspIDOf(o)]));
  return spec.channels.map((c) => ({ name: c.name, organizations: c.members.map((m) => byName.get(m) ?? m) }));
}
