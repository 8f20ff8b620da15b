import type { AccountAnswer, AccountKind, ChannelAnswer } from './answers.js';
import { DEFAULT_CHAINCODE } from './answers.js';
import * as rules from './rules.js';

/**
 * The comma-separated specs of --channel, --user, --incoming and --outgoing. Each parser
 * returns the entry or a problem naming the flag, so the CLI can list every problem at once.
 */
export type SpecResult<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Items whose value is never a secret: shown as typed. */
const SHOWN_KEYS = new Set(['channel', 'chaincode', 'password-file', 'secret-file']);
const VARIABLE_KEYS = new Set(['password-env', 'secret-env']);
const ENV_VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A spec as it may be shown: the value of any item that might be a secret typed into it
 * (`password=`, `Password=`, `pw=`, a secret pasted where a variable name belongs) is masked,
 * and with `bareItems` so is any item without "=" after the name.
 */
export function maskSpec(spec: string, bareItems = false): string {
  const [name = '', ...rest] = spec.split(',');
  const shown = rest.map((item) => {
    const eq = item.indexOf('=');
    if (eq === -1) return bareItems && item.trim() !== '' ? '***' : item;
    const key = item.slice(0, eq).trim().toLowerCase();
    const value = item.slice(eq + 1).trim();
    if (SHOWN_KEYS.has(key) || (VARIABLE_KEYS.has(key) && ENV_VARIABLE.test(value))) return item;
    return `${item.slice(0, eq + 1)}***`;
  });
  // `--user password=…` puts the secret where the name goes.
  const eq = name.indexOf('=');
  return [eq === -1 ? name : `${name.slice(0, eq + 1)}***`, ...shown].join(',');
}

const fail = <T>(flag: string, spec: string, why: string, bareItems = flag !== '--channel'): SpecResult<T> => ({
  ok: false,
  problem: `${flag} "${maskSpec(spec, bareItems)}": ${why}`,
});

function split(spec: string): { name: string; flags: string[]; pairs: Map<string, string>; repeated?: string } {
  const [name = '', ...rest] = spec.split(',').map((s) => s.trim());
  const flags: string[] = [];
  const pairs = new Map<string, string>();
  let repeated: string | undefined;
  for (const item of rest) {
    const eq = item.indexOf('=');
    if (eq === -1) flags.push(item);
    else {
      const key = item.slice(0, eq).trim();
      // `channel=a,channel=b` would otherwise let the last one win without a word.
      if (pairs.has(key)) repeated ??= key;
      pairs.set(key, item.slice(eq + 1).trim());
    }
  }
  return { name, flags, pairs, ...(repeated === undefined ? {} : { repeated }) };
}

const givenTwice = (key: string) => `"${key}=" given twice; give it once`;

export function parseChannelSpec(spec: string): SpecResult<ChannelAnswer> {
  const flag = '--channel';
  const { name, flags, pairs, repeated } = split(spec);
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
  if (repeated !== undefined) return fail(flag, spec, givenTwice(repeated));
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
  const { name, flags, pairs, repeated } = split(spec);
  const nameProblem = kind === 'users' ? rules.userName(name) : rules.identifier(name);
  if (nameProblem) return fail(flag, spec, `${kind === 'users' ? 'user name' : 'organization mspID'} ${nameProblem}`);
  if (flags.includes('')) return fail(flag, spec, 'empty item (two commas in a row, or one at the end?)');
  // Not echoed: a bare item may be a secret pasted into the spec.
  if (flags.length > 0) return fail(flag, spec, 'an item without "=" (items are KEY=VALUE; secrets go by password-env=/secret-env= or a file)');
  const account: AccountAnswer = { name };
  const allowed = kind === 'users' ? ['channel', keys.env, keys.file] : [keys.env, keys.file];
  for (const [key, value] of pairs) {
    const lower = key.toLowerCase();
    if (lower === keys.word || lower === 'secret' || lower === 'password') {
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
  if (repeated !== undefined) return fail(flag, spec, givenTwice(repeated));
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
  // The default is what a spec without chaincode= gets: saying it would only lengthen the line.
  if (channel.chaincode !== undefined && channel.chaincode !== DEFAULT_CHAINCODE) parts.push(`chaincode=${channel.chaincode}`);
  return parts.join(',');
}

/** Characters allowed in user names and mspIDs besides letters and digits, spelled out. */
const SPELLED: Record<string, string> = { '.': '_DOT_', '-': '_DASH_', '@': '_AT_', '+': '_PLUS_' };

/**
 * SUBSTRA_PASSWORD_ADMIN, SUBSTRA_INCOMING_SECRET_ORG_DASH_2, …: names for the equivalent
 * command. Each character other than an ASCII letter, digit or "_" is spelled out (non-ASCII as
 * its code point), so `a.b`, `a-b` and `a_b` get different names; only letter case is lost.
 */
export function secretEnvName(kind: AccountKind, name: string): string {
  let suffix = '';
  for (const ch of name) {
    if (/^[A-Za-z0-9_]$/.test(ch)) suffix += ch.toUpperCase();
    else suffix += SPELLED[ch] ?? `_U${(ch.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}_`;
  }
  return kind === 'users' ? `SUBSTRA_PASSWORD_${suffix || 'X'}` : `SUBSTRA_${kind.toUpperCase()}_SECRET_${suffix || 'X'}`;
}

/** How reports name an account whose secret was generated: "user admin", "incoming bio". */
export function generatedLabel(kind: AccountKind, name: string): string {
  return `${kind === 'users' ? 'user' : kind} ${name}`;
}
