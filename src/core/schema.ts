import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import type { ChartProfile } from './chart.js';
import type { Issue } from './errors.js';
import * as rules from './rules.js';

// zod/mini: the same checks and messages as zod's classic API, in schemas that cost far less to
// load and build (init builds this schema on its way to writing a file). Classic installs the
// English messages and the memoizer (cycle support, for YAML aliases) by itself; mini is told.
// A run parses a document once or a few times: compiling a parser for each object shape with
// new Function (zod's JIT) costs more than it saves. The rules and messages are the same.
z.config({ ...en(), memoizer: z.memoizer(), jitless: true });

const describe = (input: unknown): string => {
  if (input === undefined) return 'missing';
  if (input === null) return 'empty';
  if (Array.isArray(input)) return 'a list';
  // YAML 1.1 reads 2001-12-14 as a timestamp; helm keeps it a string.
  if (input instanceof Date) return 'a date';
  return typeof input === 'object' ? 'a map' : `a ${typeof input}`;
};

function ruled(rule: rules.Rule, what: string, missingHint?: string) {
  return z
    .string({
      error: (issue) =>
        issue.input === undefined && missingHint
          ? `is missing: ${missingHint}`
          : `must be ${what} (it is ${describe(issue.input)}${typeof issue.input === 'number' || typeof issue.input === 'boolean' || issue.input instanceof Date ? '; quote it' : ''})`,
    })
    .check(
      z.superRefine((value: string, ctx) => {
        const problem = rule(value);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    );
}

const bool = (field: string) =>
  z.boolean({ error: (issue) => `${field} must be true or false (it is ${describe(issue.input)})` });

/** Known keys of each strict map, by path pattern: unknown keys get "did you mean" hints. */
const knownKeys = new Map<string, string[]>();
function strict<T extends z.core.$ZodLooseShape>(pattern: string, shape: T, missingHint = 'add it') {
  knownKeys.set(pattern, Object.keys(shape));
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'invalid_type') return undefined;
      return issue.input === undefined ? `is missing: ${missingHint}` : `must be a map (it is ${describe(issue.input)})`;
    },
  });
}

export function valuesSchema(profile: ChartProfile) {
  // Loose: the chart prints the whole item into CHANNELS, and the backend ignores what it does
  // not read (unknown keys are warnings, see channelKeyWarnings).
  const channelSettings = z.looseObject(
    {
      restricted: bool('restricted'),
      model_export_enabled: bool('model_export_enabled'),
      chaincode: z.optional(z.looseObject({ name: ruled(rules.chaincodeName, 'a chaincode name', 'set chaincode.name, or remove chaincode: the backend never reads it') })),
    },
    { error: (issue) => `must be a map {restricted, model_export_enabled} (it is ${describe(issue.input)})` },
  );
  knownKeys.set('orchestrator.channels[].*', ['restricted', 'model_export_enabled', 'chaincode']);

  const channelEntry = z
    .record(z.string(), channelSettings, {
      error: (issue) => `must be a one-key map "- NAME: {restricted: …}" (it is ${describe(issue.input)})`,
    })
    .check(z.superRefine((entry: Record<string, unknown>, ctx) => {
      const names = Object.keys(entry);
      if (names.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a map with exactly one key, the channel name (it has ${names.length}: write one "- NAME: {…}" item per channel)`,
        });
        return;
      }
      const problem = rules.channelName(names[0] as string);
      if (problem) ctx.addIssue({ code: 'custom', message: `channel name "${names[0]}" ${problem}` });
    }));

  const fields = rules.accountRules(profile);
  const user = strict('addAccountOperator.users[]', {
    name: ruled(fields.users.name, 'a user name', 'every user needs a name'),
    secret: ruled(fields.users.secret, 'a password', 'every user needs a password (secret)'),
    channel: ruled(fields.users.channel, 'a channel name', 'every user needs a channel'),
  });
  // `channel` passes here and is refused by linkChannelIssues, which says what it breaks.
  const incoming = strict(`addAccountOperator.${profile.incomingKey}[]`, {
    name: ruled(fields.incoming.name, "the other organization's mspID", "name the other organization's mspID"),
    secret: ruled(fields.incoming.secret, 'a secret', 'every incoming organization needs a secret'),
    channel: z.optional(z.unknown()),
  });
  const outgoing = strict(`addAccountOperator.${profile.outgoingKey}[]`, {
    name: ruled(fields.outgoing.name, "the other organization's mspID", "name the other organization's mspID"),
    secret: ruled(fields.outgoing.secret, 'a secret', 'every outgoing organization needs a secret'),
    channel: z.optional(z.unknown()),
  });
  const list = <T extends z.core.SomeType>(item: T) =>
    z.optional(z.array(item, { error: (issue) => `must be a list (it is ${describe(issue.input)})` }));

  const unchecked = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, z.optional(z.unknown())]));
  // The link lists under the names this chart version reads (incomingNodes before 18.1.0).
  const linkLists = { [profile.incomingKey]: list(incoming), [profile.outgoingKey]: list(outgoing) } as Record<
    ChartProfile['incomingKey'],
    ReturnType<typeof list<typeof incoming>>
  > &
    Record<ChartProfile['outgoingKey'], ReturnType<typeof list<typeof outgoing>>>;
  const accounts = strict('addAccountOperator', {
    ...unchecked(profile.olderKeys.addAccountOperator),
    users: list(user),
    ...linkLists,
    existingSecret: z.optional(z.union([ruled(rules.objectName, 'a Secret name'), z.literal('')])),
  });

  return z.looseObject({
    settings: z.optional(z.enum(['prod', 'dev'], { error: (issue) => `must be prod or dev (it is ${JSON.stringify(issue.input)})` })),
    organizationName: ruled(rules.identifier, 'an organization name', 'set the organization (--organization)'),
    config: z.looseObject({
      ALLOWED_HOSTS: z.string({
        error: (issue) =>
          issue.input === undefined
            ? 'is missing: set it to a string holding a JSON list such as \'[".cluster-1.example.com"]\' (--host-domain)'
            : `must be a string holding a JSON list, such as '[".cluster-1.example.com"]' (it is ${describe(issue.input)}; quote the whole list)`,
      }),
    }, { error: () => 'is missing: config.ALLOWED_HOSTS must be set (--host-domain)' }),
    server: z.looseObject({
      defaultDomain: z.string({ error: () => 'must be a URL such as https://api.cluster-1.example.com:443 (--host-domain)' }),
      commonHostDomain: ruled(rules.dnsName, 'a host domain', 'set the host domain (--host-domain)'),
      ingress: z.optional(
        z.looseObject({
          enabled: z.optional(bool('server.ingress.enabled')),
          hostname: z.optional(ruled(rules.dnsName, 'a host name')),
          ingressClassName: z.optional(z.union([ruled(rules.dnsLabel, 'an ingress class name'), z.null()])),
          annotations: z.optional(z.record(z.string(), z.unknown(), { error: (issue) => `must be a map of annotations (it is ${describe(issue.input)})` })),
          extraTls: z.optional(
            z.array(z.looseObject({ hosts: z.optional(z.array(z.string())), secretName: z.optional(z.string()) }), {
              error: (issue) => `must be a list of {hosts, secretName} (it is ${describe(issue.input)})`,
            }),
          ),
        }),
      ),
    }, { error: () => 'is missing: the server section must be set (--host-domain)' }),
    orchestrator: strict('orchestrator', {
      ...unchecked(profile.olderKeys.orchestrator),
      host: ruled(rules.hostOrAddress, 'a host name', 'set the orchestrator host (--orchestrator-host)'),
      // The chart prints the port into a ConfigMap as text: "443" works as well as 443.
      port: z.pipe(
        z.transform((input: unknown) => (typeof input === 'string' && /^\s*\d+\s*$/.test(input) ? Number(input) : input)),
        z.number({
          error: (issue) =>
            issue.input === undefined
              ? 'is missing: the chart would use 9000; set 443 with TLS or 80 without through an ingress, 9000 in the same cluster (--orchestrator-port)'
              : `must be a whole number from 1 to 65535 (it is ${describe(issue.input)})`,
        }).check(z.int('must be a whole number from 1 to 65535'), z.minimum(1, 'must be from 1 to 65535'), z.maximum(65535, 'must be from 1 to 65535')),
      ),
      mspID: ruled(rules.linkEntryName(profile.linkNamesMaySpace), 'an mspID', 'the chart would use OwkinPeerMSP; set it to your organization (--msp-id)'),
      sameCluster: z.optional(bool('sameCluster')),
      channels: z
        .array(channelEntry, {
          error: (issue) =>
            issue.input === undefined
              ? 'is missing: the chart would silently use its default channel "mychannel"; add at least one (--channel)'
              : `must be a list of one-key maps "- NAME: {restricted: …}" (it is ${describe(issue.input)})`,
        })
        .check(z.minLength(1, 'must list at least one channel (--channel)'))
        .register(z.globalRegistry, {
          description: 'A LIST of one-key maps `- NAME: {restricted, model_export_enabled, chaincode: {name}}`; without it the chart uses "mychannel".',
        }),
      tls: z.optional(
        strict('orchestrator.tls', {
          enabled: z.optional(bool('tls.enabled')),
          // Missing or empty is refused with TLS on by the cross-field rules, which say why.
          cacert: z.optional(z.union([z.literal(''), z.null(), ruled(rules.objectName, 'the name of the CA Secret/ConfigMap')])),
          mtls: z.optional(
            strict('orchestrator.tls.mtls', {
              enabled: z.optional(bool('mtls.enabled')),
              clientCertificate: z.optional(z.union([ruled(rules.objectName, 'the name of a kubernetes.io/tls Secret'), z.null()])),
            }),
          ),
        }),
      ),
    }, 'set the orchestrator connection (--orchestrator-host, --channel)'),
    addAccountOperator: z.optional(accounts),
  });
}

/** The values the tool manages, as the schema reads them (the one description of their shape). */
export type ManagedValues = z.infer<ReturnType<typeof valuesSchema>>;
type Accounts = NonNullable<ManagedValues['addAccountOperator']>;
export type UserEntry = NonNullable<Accounts['users']>[number];
export type IncomingEntry = NonNullable<Accounts['incomingOrganizations']>[number];
export type OutgoingEntry = NonNullable<Accounts['outgoingOrganizations']>[number];
export type ChannelSettings = ManagedValues['orchestrator']['channels'][number][string];

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out || '(file)';
}

function pathPattern(path: ReadonlyArray<PropertyKey>, parentIsChannelEntry: boolean): string {
  let out = '';
  path.forEach((part, i) => {
    if (typeof part === 'number') out += '[]';
    else if (parentIsChannelEntry && i === 3) out += '.*';
    else out += out === '' ? String(part) : `.${String(part)}`;
  });
  return out;
}

/** How unknown keys are explained: what ignores them, and the keys known at a path. */
export interface UnknownKeys {
  /** e.g. "the chart ignores it" */
  consequence: string;
  knownAt(path: ReadonlyArray<PropertyKey>): string[];
}

/** Unknown keys of a values file: the chart ignores them. */
const valuesUnknownKeys: UnknownKeys = {
  consequence: 'the chart ignores it',
  knownAt: (path) => knownKeys.get(pathPattern(path, path[0] === 'orchestrator' && path[1] === 'channels')) ?? [],
};

/** zod issues → our issues, with unknown keys split one per key and given a hint. */
export function toIssues(error: z.core.$ZodError, unknownKeys: UnknownKeys = valuesUnknownKeys): Issue[] {
  const issues: Issue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = unknownKeys.knownAt(issue.path);
      for (const key of issue.keys) {
        const guess = rules.closest(key, known);
        issues.push({
          path: formatPath([...issue.path, key]),
          message: `unknown key: ${unknownKeys.consequence}${guess ? ` (did you mean "${guess}"?)` : ''}; known keys here: ${known.join(', ')}`,
        });
      }
      continue;
    }
    issues.push({ path: formatPath(issue.path), message: issue.message });
  }
  return issues;
}
