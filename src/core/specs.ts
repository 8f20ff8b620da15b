import type { AccountAnswer, AccountKind, ChannelAnswer } from './answers.js';
import * as rules from './rules.js';

/**
 * The comma-separated specs of --channel, --user, --incoming and --outgoing. Each parser
 * returns the entry or a problem naming the flag, so the CLI can list every problem at once.
 */
export type SpecResult<T> = { ok: true; value: T } | { ok: false; problem: string };

/** A spec as it may be shown: a literal secret someone typed into it is masked. */
export function maskSpec(spec: string): string {
  return spec.replace(/((?:^|,)\s*(?:password|secret)\s*=)[^,]*/g, '$1***');
}

const fail = <T>(flag: string, spec: string, why: string): SpecResult<T> => ({
  ok: false,
  problem: `${flag} "${maskSpec(spec)}": ${why}`,
});

function split(spec: string): { name: string; flags: string[]; pairs: Map<string, string>; raw: string[] } {
  const [name = '', ...rest] = spec.split(',').map((s) => s.trim());
  const flags: string[] = [];
  const pairs = new Map<string, string>();
  for (const item of rest) {
    const eq = item.indexOf('=');
    if (eq === -1) flags.push(item);
    else pairs.set(item.slice(0, eq).trim(), item.slice(eq + 1).trim());
  }
  return { name, flags, pairs, raw: rest };
}

export function parseChannelSpec(spec: string): SpecResult<ChannelAnswer> {
  const flag = '--channel';
  const { name, flags, pairs } = split(spec);
  const problem = rules.channelName(name);
  if (problem) return fail(flag, spec, `channel name ${problem}`);
  const channel: ChannelAnswer = { name, restricted: false, modelExport: false };
  for (const item of flags) {
    if (item === 'restricted') channel.restricted = true;
    else if (item === 'model-export') channel.modelExport = true;
    else if (item === '') return fail(flag, spec, 'empty item (two commas in a row?)');
    else return fail(flag, spec, `unknown item "${item}" (expected restricted, model-export or chaincode=NAME)`);
  }
  for (const [key, value] of pairs) {
    if (key !== 'chaincode') return fail(flag, spec, `unknown item "${key}=" (expected restricted, model-export or chaincode=NAME)`);
    const bad = rules.chaincodeName(value);
    if (bad) return fail(flag, spec, `chaincode ${bad}`);
    channel.chaincode = value;
  }
  return { ok: true, value: channel };
}

const SECRET_KEYS: Record<AccountKind, { env: string; file: string; word: string }> = {
  users: { env: 'password-env', file: 'password-file', word: 'password' },
  incoming: { env: 'secret-env', file: 'secret-file', word: 'secret' },
  outgoing: { env: 'secret-env', file: 'secret-file', word: 'secret' },
};

export const ACCOUNT_FLAGS: Record<AccountKind, string> = { users: '--user', incoming: '--incoming', outgoing: '--outgoing' };

/**
 * A --user/--incoming/--outgoing spec. The secret stays a reference (env or file): reading it
 * is I/O, left to the caller. `defaultChannel` fills a missing channel when only one exists.
 */
export function parseAccountSpec(kind: AccountKind, spec: string, defaultChannel?: string): SpecResult<AccountAnswer> {
  const flag = ACCOUNT_FLAGS[kind];
  const keys = SECRET_KEYS[kind];
  const { name, flags, pairs } = split(spec);
  const nameProblem = kind === 'users' ? rules.userName(name) : rules.identifier(name);
  if (nameProblem) return fail(flag, spec, `${kind === 'users' ? 'user name' : 'organization mspID'} ${nameProblem}`);
  if (flags.length > 0) return fail(flag, spec, `unknown item "${flags[0]}" (items are KEY=VALUE)`);
  const account: AccountAnswer = { name };
  const allowed = kind === 'users' ? ['channel', keys.env, keys.file] : [keys.env, keys.file];
  for (const [key, value] of pairs) {
    if (key === keys.word || key === 'secret' || key === 'password') {
      return fail(flag, spec, `a ${keys.word} is never taken on the command line (it would sit in shell history); use ${keys.env}=VAR or ${keys.file}=PATH`);
    }
    if (key === 'channel' && kind !== 'users') {
      return fail(
        flag,
        spec,
        'a link entry names no channel: the backend reads the last word of its line as the secret, so a channel would become the password and every call would be refused; drop channel=',
      );
    }
    if (!allowed.includes(key)) return fail(flag, spec, `unknown item "${key}=" (expected ${allowed.map((k) => `${k}=`).join(', ')})`);
    if (value === '') return fail(flag, spec, `"${key}=" needs a value`);
  }
  if (pairs.has(keys.env) && pairs.has(keys.file)) return fail(flag, spec, `give ${keys.env}= or ${keys.file}=, not both`);
  if (kind === 'users') {
    const channel = pairs.get('channel') ?? defaultChannel;
    if (channel === undefined) return fail(flag, spec, 'missing channel=CHANNEL (there is more than one channel)');
    const bad = rules.channelName(channel);
    if (bad) return fail(flag, spec, `channel ${bad}`);
    account.channel = channel;
  }
  const variable = pairs.get(keys.env);
  if (variable !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) return fail(flag, spec, `${keys.env}= must name an environment variable`);
    account.origin = { kind: 'env', variable };
  }
  const path = pairs.get(keys.file);
  if (path !== undefined) account.origin = { kind: 'file', path };
  return { ok: true, value: account };
}

/** The spec that reproduces an entry, with its secret as a reference, never the value. */
export function accountSpec(kind: AccountKind, account: AccountAnswer, envName: string): string {
  const keys = SECRET_KEYS[kind];
  const parts = [account.name];
  if (account.channel !== undefined && kind === 'users') parts.push(`channel=${account.channel}`);
  if (account.origin?.kind === 'file') parts.push(`${keys.file}=${account.origin.path}`);
  else if (account.origin?.kind === 'env') parts.push(`${keys.env}=${account.origin.variable}`);
  else parts.push(`${keys.env}=${envName}`);
  return parts.join(',');
}

export function channelSpec(channel: ChannelAnswer): string {
  const parts = [channel.name];
  if (channel.restricted) parts.push('restricted');
  if (channel.modelExport) parts.push('model-export');
  if (channel.chaincode !== undefined) parts.push(`chaincode=${channel.chaincode}`);
  return parts.join(',');
}

/** SUBSTRA_PASSWORD_ADMIN, SUBSTRA_INCOMING_SECRET_ORG2, …: names for the equivalent command. */
export function secretEnvName(kind: AccountKind, name: string): string {
  const suffix = name.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'X';
  return kind === 'users' ? `SUBSTRA_PASSWORD_${suffix}` : `SUBSTRA_${kind.toUpperCase()}_SECRET_${suffix}`;
}

/** How reports name an account whose secret was generated: "user admin", "incoming bio". */
export function generatedLabel(kind: AccountKind, name: string): string {
  return `${kind === 'users' ? 'user' : kind} ${name}`;
}
