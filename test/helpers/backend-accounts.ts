import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { FIXTURE_CHART, run, TOOLS } from './cli.js';

/**
 * How the backend's sync Job reads the account lines, mirrored from Substra/substra-backend:
 * `backend/organization/management/commands/base_sync.py` (organizations:
 * `line.removesuffix("\n").rsplit(" ", maxsplit=1)` into key and password) and
 * `backend/users/management/commands/sync_users.py` (users: `line.split(" ")` unpacked into
 * exactly key, password, channel). The file is opened in text mode, so "\r\n", "\r" and "\n"
 * all end a line. A line that does not unpack makes the Job fail: these throw then.
 * A key seen twice is created, then updated: the last line wins.
 */
export interface UserAccount {
  password: string;
  channel: string;
}

function lines(text: string): string[] {
  const all = text.split(/\r\n|\r|\n/);
  if (all[all.length - 1] === '') all.pop();
  return all;
}

export function parseUserLines(text: string): Map<string, UserAccount> {
  const users = new Map<string, UserAccount>();
  for (const line of lines(text)) {
    const fields = line.split(' ');
    if (fields.length !== 3) throw new Error(`the sync Job fails on user line ${JSON.stringify(line)}: ${fields.length} fields, not 3`);
    const [key, password, channel] = fields as [string, string, string];
    users.set(key, { password, channel });
  }
  return users;
}

export function parseOrganizationLines(text: string): Map<string, string> {
  const organizations = new Map<string, string>();
  for (const line of lines(text)) {
    const at = line.lastIndexOf(' ');
    if (at === -1) throw new Error(`the sync Job fails on organization line ${JSON.stringify(line)}: no space to split at`);
    organizations.set(line.slice(0, at), line.slice(at + 1));
  }
  return organizations;
}

export interface BackendAccounts {
  users: Map<string, UserAccount>;
  /** who may call this backend: caller's id → the password it must send */
  incoming: Map<string, string>;
  /** whom this backend calls: callee's id → the password it sends */
  outgoing: Map<string, string>;
}

/** The accounts in a Secret's `data` (base64) or `stringData`, as the Job receives them. */
export function accountsFromSecret(secret: { data?: Record<string, string>; stringData?: Record<string, string> }): BackendAccounts {
  const text = (key: string): string => {
    if (secret.stringData?.[key] !== undefined) return secret.stringData[key];
    const encoded = secret.data?.[key];
    if (encoded === undefined) throw new Error(`the Secret has no key ${key}: the Job would find no file`);
    return Buffer.from(encoded, 'base64').toString('utf8');
  };
  return {
    users: parseUserLines(text('users')),
    incoming: parseOrganizationLines(text('incoming_organizations')),
    outgoing: parseOrganizationLines(text('outgoing_organizations')),
  };
}

/** Renders a values file with the real helm through the fixture chart and reads its accounts. */
export async function renderedAccounts(valuesFile: string, release = 'backend'): Promise<BackendAccounts> {
  const r = await run(path.join(TOOLS, 'helm'), ['template', release, FIXTURE_CHART, '--values', valuesFile]);
  if (r.code !== 0) throw new Error(`helm template ${valuesFile} failed: ${r.stderr}`);
  const secret = parseAllDocuments(r.stdout)
    .map((d) => d.toJS() as { kind?: string; metadata?: { name?: string }; data?: Record<string, string> } | null)
    .find((o) => o?.kind === 'Secret' && o.metadata?.name === `${release}-add-account`);
  if (!secret) throw new Error(`helm template ${valuesFile} rendered no add-account Secret`);
  return accountsFromSecret(secret);
}

/**
 * Every ordered pair of organizations (self-links included) authenticates: the callee's
 * incoming account named after the caller's mspID has exactly the password the caller sends.
 * Returns the problems, empty when every call would be accepted.
 */
export function unpairedLinks(orgs: Array<{ mspID: string; accounts: BackendAccounts }>): string[] {
  const problems: string[] = [];
  for (const callee of orgs) {
    for (const caller of orgs) {
      const sent = caller.accounts.outgoing.get(callee.mspID);
      const expected = callee.accounts.incoming.get(caller.mspID);
      if (sent === undefined) problems.push(`${caller.mspID} has no outgoing account for ${callee.mspID}`);
      else if (expected === undefined) problems.push(`${callee.mspID} has no incoming account ${caller.mspID}`);
      else if (sent !== expected) problems.push(`${caller.mspID} → ${callee.mspID}: the password sent differs from the one checked`);
    }
  }
  return problems;
}
