import type { AccountAnswer } from './answers.js';
import type { Issue } from './errors.js';
import { generateSecret } from './generate.js';

/**
 * Linking organizations (facts: "Linking organizations"). For every ordered pair (A, B), B
 * calling A, one secret sits in A's incoming entry named B's mspID and in B's outgoing entry
 * named A's mspID; every organization is also linked with itself.
 */
export interface OrgLinks {
  /** how reports name this organization's file */
  label: string;
  mspID: string;
  channels: string[];
  /** the key names used in the file (incomingOrganizations or incomingNodes) */
  incomingKey: string;
  outgoingKey: string;
  incoming: AccountAnswer[];
  outgoing: AccountAnswer[];
}

export interface LinkOptions {
  rotate?: boolean;
  fix?: boolean;
}

export interface LinkReport {
  created: number;
  kept: number;
  rotated: number;
  fixed: number;
  mismatches: Issue[];
  warnings: Issue[];
  changed: Set<string>;
}

const find = (list: AccountAnswer[], name: string) => list.find((a) => a.name === name);

/**
 * Backends fetch each other's assets only on a channel they share, so only such pairs are
 * linked. The link entries themselves name no channel (facts: "How the chart consumes them").
 */
export function shareAChannel(a: OrgLinks, b: OrgLinks): boolean {
  return a.channels.some((c) => b.channels.includes(c));
}

/**
 * Every link that does not pair up, by file and path on both sides. `concerns` limits the
 * check to the pairs it accepts (validate --peers: only those involving one file).
 */
export function pairingIssues(orgs: OrgLinks[], concerns: (callee: OrgLinks, caller: OrgLinks) => boolean = () => true): Issue[] {
  const issues: Issue[] = [];
  for (const callee of orgs) {
    for (const caller of orgs) {
      if (!concerns(callee, caller)) continue;
      const inIndex = callee.incoming.findIndex((a) => a.name === caller.mspID);
      const outIndex = caller.outgoing.findIndex((a) => a.name === callee.mspID);
      const inPath = `${callee.label}: addAccountOperator.${callee.incomingKey}[${inIndex}]`;
      const outPath = `${caller.label}: addAccountOperator.${caller.outgoingKey}[${outIndex}]`;
      const direction = caller === callee ? `${callee.mspID} with itself` : `${caller.mspID} → ${callee.mspID}`;
      if (inIndex === -1 && outIndex === -1) {
        issues.push({ path: `${callee.label}: addAccountOperator.${callee.incomingKey}`, message: `no link ${direction}: no incoming entry "${caller.mspID}" here and no outgoing entry "${callee.mspID}" in ${caller.label}` });
      } else if (inIndex === -1) {
        issues.push({ path: `${callee.label}: addAccountOperator.${callee.incomingKey}`, message: `missing incoming entry "${caller.mspID}" pairing ${outPath} (${direction})` });
      } else if (outIndex === -1) {
        issues.push({ path: `${caller.label}: addAccountOperator.${caller.outgoingKey}`, message: `missing outgoing entry "${callee.mspID}" pairing ${inPath} (${direction})` });
      } else if (callee.incoming[inIndex]?.secret !== caller.outgoing[outIndex]?.secret) {
        issues.push({ path: `${inPath}.secret`, message: `does not match ${outPath}.secret (${direction}): the link fails` });
      }
    }
  }
  return issues;
}

/** Brings every pair of `orgs` to a matching link, in place. Existing matching secrets stay. */
export function linkOrganizations(orgs: OrgLinks[], options: LinkOptions = {}): LinkReport {
  const report: LinkReport = { created: 0, kept: 0, rotated: 0, fixed: 0, mismatches: [], warnings: [], changed: new Set() };
  const seen = new Set<string>();
  for (const org of orgs) {
    if (seen.has(org.mspID)) throw new RangeError(`two files have mspID ${org.mspID}: ${orgs.filter((o) => o.mspID === org.mspID).map((o) => o.label).join(', ')}`);
    seen.add(org.mspID);
  }
  for (const callee of orgs) {
    for (const caller of orgs) {
      const incoming = find(callee.incoming, caller.mspID);
      const outgoing = find(caller.outgoing, callee.mspID);
      if (!shareAChannel(callee, caller)) {
        report.warnings.push({
          path: `${callee.label}: addAccountOperator.${callee.incomingKey}`,
          message: `${caller.mspID} and ${callee.mspID} share no channel: not linked (add a common channel to both)`,
        });
        continue;
      }
      let secret: string | undefined;
      if (options.rotate) {
        secret = generateSecret();
        report.rotated += 1;
      } else if (incoming?.secret && outgoing?.secret && incoming.secret !== outgoing.secret) {
        const where = `${caller.mspID} → ${callee.mspID}`;
        if (!options.fix) {
          report.mismatches.push({
            path: `${callee.label}: addAccountOperator.${callee.incomingKey} "${caller.mspID}"`,
            message: `secret differs from ${caller.label}'s outgoing entry "${callee.mspID}" (${where}); run again with --fix to make the outgoing side match`,
          });
          continue;
        }
        // The callee's incoming secret is what the backend checks: the caller's side follows.
        secret = incoming.secret;
        report.fixed += 1;
      } else {
        secret = incoming?.secret ?? outgoing?.secret;
        if (secret && incoming?.secret && outgoing?.secret) report.kept += 1;
        else if (secret) report.fixed += 1;
        else {
          secret = generateSecret();
          report.created += 1;
        }
      }
      const changedIn = upsert(callee.incoming, { name: caller.mspID, secret, origin: { kind: 'generated' } });
      const changedOut = upsert(caller.outgoing, { name: callee.mspID, secret, origin: { kind: 'generated' } });
      if (changedIn) report.changed.add(callee.label);
      if (changedOut) report.changed.add(caller.label);
    }
  }
  return report;
}

/**
 * Before chart 26.12.0 the account Job only creates (add_user.py,
 * create_incoming_organization.py skip what exists): a changed secret of an existing account
 * never reaches the backend. The warning that says so, or undefined when the chart syncs.
 */
export function secretChangeIneffective(profile: { version: string; deletesRemovedAccounts: boolean }, secret: 'password' | 'link secret'): string | undefined {
  if (profile.deletesRemovedAccounts) return undefined;
  return `chart ${profile.version} keeps the ${secret} an existing account was created with (its Job only creates accounts): the change takes effect once the account is deleted in the backend, or from chart 26.12.0`;
}

function upsert(list: AccountAnswer[], entry: AccountAnswer): boolean {
  const existing = list.find((a) => a.name === entry.name);
  if (!existing) {
    list.push(entry);
    return true;
  }
  let changed = false;
  if (existing.secret !== entry.secret) {
    existing.secret = entry.secret;
    changed = true;
  }
  return changed;
}
