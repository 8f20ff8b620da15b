import type { AccountKind } from './answers.js';
import type { ChartProfile } from './chart.js';
import { accountsFromLines } from './account-lines.js';
import type { ValuesLike } from './questions.js';
import { accountListsFrom } from './values-doc.js';

/**
 * From chart 26.12.0 the account Job deletes every user, incoming and outgoing organization
 * the values no longer name (users made in the web UI too, unless OIDC is on). Before an
 * upgrade, what is deployed is compared with what the file will deploy: each account that
 * would go is named, and the upgrade stops unless the operator allows it.
 */
export type AccountNames = Record<AccountKind, string[]>;

/** The account names in values as helm holds them (`helm get values --all -o json`). */
export function accountNamesInValues(values: unknown, profile: Pick<ChartProfile, 'incomingKey' | 'outgoingKey'>): AccountNames {
  const lists = accountListsFrom(values && typeof values === 'object' ? (values as ValuesLike) : {}, profile);
  return { users: lists.users.map((a) => a.name), incoming: lists.incoming.map((a) => a.name), outgoing: lists.outgoing.map((a) => a.name) };
}

/** The account names in an accounts Secret's decoded data (secrets mode), as the Job reads them. */
export function accountNamesInSecret(data: Partial<Record<'users' | 'incoming_organizations' | 'outgoing_organizations', string>>): AccountNames {
  const accounts = accountsFromLines(data);
  return { users: accounts.users.map((u) => u.name), incoming: accounts.incoming.map((o) => o.name), outgoing: accounts.outgoing.map((o) => o.name) };
}

export const NO_ACCOUNTS: AccountNames = { users: [], incoming: [], outgoing: [] };

/** The names in either, by kind: the accounts deployed now when two places hold them (release values, Secret). */
export function joinedAccounts(a: AccountNames, b: AccountNames): AccountNames {
  const both = (kind: AccountKind) => [...new Set([...a[kind], ...b[kind]])];
  return { users: both('users'), incoming: both('incoming'), outgoing: both('outgoing') };
}

/** Names deployed now that the next deployment drops, by kind. */
export function droppedAccounts(deployed: AccountNames, next: AccountNames): AccountNames {
  const gone = (kind: AccountKind) => deployed[kind].filter((name) => !next[kind].includes(name));
  return { users: gone('users'), incoming: gone('incoming'), outgoing: gone('outgoing') };
}

export function describeDropped(dropped: AccountNames): string[] {
  const words: Record<AccountKind, string> = { users: 'user', incoming: 'incoming organization', outgoing: 'outgoing organization' };
  return (['users', 'incoming', 'outgoing'] as const).flatMap((kind) => dropped[kind].map((name) => `${words[kind]} "${name}"`));
}
