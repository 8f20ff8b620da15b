import { isIP } from 'node:net';
import type { AccountKind } from './answers.js';
import type { ChartProfile } from './chart.js';

/**
 * Field rules shared by the zod schema, the flag parser and the prompts. Each returns the
 * problem as a sentence that says what to do, or undefined when the value is fine.
 */
export type Rule = (value: string) => string | undefined;

const WHITESPACE = /[\s\u200b\u2060\ufeff]/u;
const CONTROL = /\p{Cc}/u;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Format characters (zero-width space, joiners, direction marks, BOM): invisible where the text is shown. */
const INVISIBLE = /[\p{Cf}\u2060\ufeff]/u;

/** Where an invisible character hides in a value that looks right: its code point and place. */
function invisibleAt(value: string): string | undefined {
  const match = INVISIBLE.exec(value);
  if (!match) return undefined;
  const code = (match[0].codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0');
  return `U+${code} at character ${[...value.slice(0, match.index)].length + 1}`;
}

/** The add-account Job splits its lines on spaces: a space anywhere breaks it. */
export const noWhitespace: Rule = (value) => {
  const invisible = invisibleAt(value);
  if (invisible) return `must not contain spaces or other whitespace (the chart splits on them): it holds the invisible ${invisible}; remove it`;
  if (WHITESPACE.test(value)) return 'must not contain spaces or other whitespace (the chart splits on them)';
  if (CONTROL.test(value)) return 'must not contain control characters';
  return undefined;
};

export const dnsLabel: Rule = (value) => {
  if (value === '') return 'must not be empty';
  if (value.length > 63) return `must be at most 63 characters (it has ${value.length})`;
  if (/[A-Z]/.test(value)) return `must be lowercase (try "${value.toLowerCase()}")`;
  if (!LABEL.test(value)) {
    return 'must be an RFC 1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit';
  }
  return undefined;
};

export const dnsName: Rule = (value) => {
  if (value === '') return 'must not be empty';
  const invisible = invisibleAt(value);
  if (invisible) return `holds the invisible character ${invisible}; remove it`;
  if (value.length > 253) return `must be at most 253 characters (it has ${value.length})`;
  if (/[A-Z]/.test(value)) return `must be lowercase (try "${value.toLowerCase()}")`;
  if (value.startsWith('.') || value.endsWith('.')) return 'must not start or end with "." (write example.com, not .example.com)';
  if (/^[a-z]+:\/\//.test(value)) return 'must be a host name, not a URL (drop the scheme)';
  for (const label of value.split('.')) {
    const problem = dnsLabel(label);
    if (problem) return `must be an RFC 1123 host name such as cluster-1.example.com: label "${label}" ${problem}`;
  }
  return undefined;
};

export const hostOrAddress: Rule = (value) => {
  // node:net compiles a large IPv6 pattern on first use: ask it only about address-like text.
  if (/^[\d.]+$/.test(value) && isIP(value) === 4) return undefined;
  if (value.includes(':') && isIP(value) === 6) return 'an IPv6 address is not supported here; use a host name';
  if (/:\d+$/.test(value)) return 'must not include the port (use the port setting)';
  return dnsName(value);
};

/** Letters, digits, ".", "_" and "-", starting with a letter or digit, at most `max` long. */
function plainName(max: number, why: string): Rule {
  return (value) => {
    if (value === '') return 'must not be empty';
    const ws = noWhitespace(value);
    if (ws) return ws;
    if (value.length > max) return `must be at most ${max} characters (it has ${value.length}; ${why})`;
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value)) {
      return 'must use only letters, digits, ".", "_" and "-", starting with a letter or digit';
    }
    return undefined;
  };
}

/** Organization names and mspIDs: the backend's Organization id is a varchar(1024) (organization/models.py). */
export const identifier: Rule = plainName(1024, 'the backend stores organization ids in 1024');

/** Channel names: UserChannel.channel_name is a varchar(100) (users/models/user_channel.py). */
export const channelName: Rule = plainName(100, 'the backend stores channel names in 100 and its sync Job fails on longer ones');

/** Virtual users of the backend (settings/common.py): an account with either name breaks the sync. */
export const RESERVED_USER_NAMES = ['external', 'deleted'];

/** Django's username validator: letters, digits and @ . + - _ only, 150 at most. */
export const userName: Rule = (value) => {
  if (value === '') return 'must not be empty';
  const ws = noWhitespace(value);
  if (ws) return ws;
  if ([...value].length > 150) return `must be at most 150 characters (it has ${[...value].length}; Django's user name limit)`;
  // create_user stores normalize_username(name); sync_users then looks the user up by the
  // name as written, finds none, and the Job fails on every run after the first. Checked on
  // the stored form: a decomposed "é" (NFD) is a letter and a combining mark, which looks right.
  const stored = value.normalize('NFKC');
  if (!/^[\p{L}\p{N}_.@+-]+$/u.test(stored)) return 'may contain only letters, digits and @ . + - _ (the backend refuses other characters)';
  if (RESERVED_USER_NAMES.includes(stored)) return `"${stored}" is reserved: the backend has a virtual user of that name (${RESERVED_USER_NAMES.join(', ')}); choose another`;
  if (stored !== value) {
    return `is stored by Django as "${stored}" (it normalizes user names, NFKC), and the sync Job then fails to find the user it created; write "${stored}"`;
  }
  return undefined;
};

export const secretText: Rule = (value) => {
  if (value === '') return 'must not be empty';
  // Said to be there, not which or where: nothing of a secret is shown, not even its place.
  if (INVISIBLE.test(value)) return 'must not contain spaces or other whitespace (the chart splits on them): it holds an invisible character (a zero-width space, a direction mark); remove it';
  return noWhitespace(value);
};

/** Outgoing secrets are stored as given in a varchar(128) (organization/models.py). */
export const OUTGOING_SECRET_MAX = 128;

/**
 * Link secrets travel as HTTP Basic credentials, which requests encodes as Latin-1
 * (clients/organization.py): any other character cannot be sent.
 */
export function linkSecret(kind: 'incoming' | 'outgoing'): Rule {
  return (value) => {
    const problem = secretText(value);
    if (problem) return problem;
    // Neither shown nor placed: nothing of a secret is.
    if (outsideLatin1(value) !== undefined) return 'must use only Latin-1 characters (backends send it as HTTP Basic credentials); it holds one that is not';
    // Not echoed, even in part: it is a secret.
    if (readAsUtf8(value) !== undefined) {
      return 'its non-ASCII characters, sent as Latin-1, also read as UTF-8, which is how the receiving backend decodes HTTP Basic credentials first: the two sides would disagree; use ASCII characters';
    }
    if (kind === 'outgoing' && value.length > OUTGOING_SECRET_MAX) {
      return `must be at most ${OUTGOING_SECRET_MAX} characters (it has ${value.length}; the backend stores outgoing secrets in ${OUTGOING_SECRET_MAX} and its sync Job fails on longer ones)`;
    }
    return undefined;
  };
}

/**
 * The other organization's mspID in a link entry. The sync Job splits organization lines at
 * their LAST space (base_sync.py), so from chart 26.6.6 a name may hold single inner spaces;
 * before, any space broke the line.
 */
export function linkEntryName(spacesAllowed: boolean): Rule {
  return (value) => {
    if (!spacesAllowed || !value.includes(' ')) return identifier(value);
    if (value !== value.trim()) return 'must not start or end with a space';
    if (/[^\S ]| {2}/u.test(value) || CONTROL.test(value)) return 'may hold single spaces, but no other whitespace';
    if (value.length > 1024) return `must be at most 1024 characters (it has ${value.length}; the backend stores organization ids in 1024)`;
    // An mspID is the user name of every call a backend makes to a peer (requests'
    // HTTPBasicAuth, Latin-1; the receiver splits user and password at the first ":").
    if (value.includes(':')) return 'must not contain ":" (backends send it as the HTTP Basic user name, which ends at the first ":")';
    const outside = outsideLatin1(value);
    if (outside) return `must use only Latin-1 characters (backends send it as the HTTP Basic user name); "${outside}" is not one`;
    const misread = readAsUtf8(value);
    if (misread !== undefined) return `its Latin-1 bytes also read as UTF-8 ("${misread}"), which is how the receiving backend decodes HTTP Basic credentials first; use other characters`;
    return undefined;
  };
}

/** The first character HTTP Basic credentials (Latin-1) cannot carry, if any. */
function outsideLatin1(value: string): string | undefined {
  return [...value].find((ch) => (ch.codePointAt(0) as number) > 0xff);
}

/**
 * What a receiving backend makes of Latin-1 text sent as HTTP Basic credentials when it
 * differs: Django REST framework decodes them as UTF-8 first and as Latin-1 only when that
 * fails. Undefined when the text reads back as sent.
 */
function readAsUtf8(value: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (!/[^\u0000-\u007f]/.test(value)) return undefined;
  const bytes = Uint8Array.from(value, (ch) => ch.charCodeAt(0));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** What the account Job of a chart does to each field before the backend reads it (see ChartProfile). */
export interface AccountJobReading {
  chartVersion: string;
  fieldsAsArguments: boolean;
  dropsBackslashes: boolean;
}

/** The fields of an account line, as the account Job of older charts passes them on. */
export function accountJobField(job: AccountJobReading): Rule {
  return (value) => {
    if (job.fieldsAsArguments && value.startsWith('-')) {
      return `must not start with "-": chart ${job.chartVersion}'s account Job passes it to manage.py as an argument, which reads it as an option and stops; choose another value, or deploy chart 26.12.0 or later`;
    }
    if (job.dropsBackslashes && value.includes('\\')) {
      return `must not contain "\\": chart ${job.chartVersion}'s account Job reads its lines with bash \`read\` without -r, which drops it, so the backend would hold another value than this file; choose another character`;
    }
    return undefined;
  };
}

/**
 * The rules of each field of an account entry for one chart version: the backend's own and
 * what that chart's account Job does to the field. Validate and the wizard's prompts use them.
 */
export function accountRules(profile: ChartProfile): Record<AccountKind, { name: Rule; secret: Rule }> & { users: { channel: Rule } } {
  const job = (lines: 'users' | 'links') =>
    accountJobField({ chartVersion: profile.version, fieldsAsArguments: profile.accountFieldsAsArguments, dropsBackslashes: profile.backslashesDropped[lines] });
  const linkName = allOf(linkEntryName(profile.linkNamesMaySpace), job('links'));
  return {
    users: { name: allOf(userName, job('users')), secret: allOf(secretText, job('users')), channel: allOf(channelName, job('users')) },
    incoming: { name: linkName, secret: allOf(linkSecret('incoming'), job('links')) },
    outgoing: { name: linkName, secret: allOf(linkSecret('outgoing'), job('links')) },
  };
}

/** The first problem any of `rules` finds. */
export function allOf(...rules: Rule[]): Rule {
  return (value) => {
    for (const rule of rules) {
      const problem = rule(value);
      if (problem) return problem;
    }
    return undefined;
  };
}

/** Names of Kubernetes objects (Secrets, ConfigMaps): RFC 1123 subdomains. */
export const objectName: Rule = (value) => {
  const problem = dnsName(value);
  return problem ? problem.replace('host name such as cluster-1.example.com', 'object name such as orchestrator-cacert') : undefined;
};

/** server.defaultDomain: an http(s) URL with a host; an in-cluster address is as good as a public one. */
export const backendUrl: Rule = (value) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be a URL such as https://api.cluster-1.example.com:443 (or http://backend-server.org-1:8000 in the cluster)';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `must be an http:// or https:// URL (it is ${url.protocol}//)`;
  if (url.hostname === '') return 'must name a host';
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) return 'must be the bare address, with no path, query or fragment';
  return noWhitespace(value);
};

/** An ALLOWED_HOSTS entry, as Django matches it: "*", ".domain" or an exact host. */
export const allowedHost: Rule = (value) => {
  if (value === '*') return undefined;
  const host = value.startsWith('.') ? value.slice(1) : value;
  if (/^[\d.]+$/.test(host) && isIP(host) === 4) return undefined;
  const problem = dnsName(host);
  return problem ? problem.replace('must be an RFC 1123 host name', 'must be "*", ".domain" or a host name') : undefined;
};

/** An nginx size: a number with an optional k, m or g (0 means no limit). */
export const byteSize: Rule = (value) => (/^\d+[kKmMgG]?$/.test(value) ? undefined : 'must be a size nginx reads, such as 100m, 1g or 0 (no limit)');

export const port: Rule = (value) => {
  if (!/^\d+$/.test(value.trim())) return 'must be a whole number from 1 to 65535';
  const n = Number(value);
  if (n < 1 || n > 65535) return `must be from 1 to 65535 (got ${n})`;
  return undefined;
};

export const chaincodeName: Rule = (value) => {
  if (value === '') return 'must not be empty';
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(value)) return 'must use only letters, digits, "_" and "-"';
  return undefined;
};

/** The nearest known name, for "did you mean" hints on typos. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  // A shortened key (model_export for model_export_enabled) is a typo too.
  const prefixed = lower.length >= 4 ? candidates.find((c) => c.toLowerCase().startsWith(lower)) : undefined;
  if (prefixed) return prefixed;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = row[j] as number;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] as number;
}
