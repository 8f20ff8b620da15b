import type { AccountAnswer, AccountKind, Answers } from './answers.js';
import { derivedHosts, SETTINGS } from './questions.js';
import { accountSpec, channelSpec, secretEnvName } from './specs.js';

/** Quotes an argument for a POSIX shell only when it needs it. */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_./:=,@%+-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export interface EquivalentCommand {
  /** the command line, secrets as environment references */
  command: string;
  /** environment variables the command expects to be set, with what each must hold */
  environment: Array<{ variable: string; holds: string }>;
}

/** How the file was written beyond the answers: a replay without them writes another file. */
export interface ReplayOptions {
  /** 'secret': the accounts went to a credentials file, the values file names existingSecret */
  secretsMode?: 'values' | 'secret';
  /** the Secret named by existingSecret, when not the default */
  accountsSecret?: string;
  /** the credentials file, when not the default one beside the output */
  credentials?: string;
  /** the yaml-language-server schema reference on the first line */
  yamlSchema?: string;
  chartVersion?: string;
}

const KINDS: Array<[AccountKind, string]> = [['users', '--user'], ['incoming', '--incoming'], ['outgoing', '--outgoing']];

/**
 * A distinct environment variable for every account whose secret has no reference yet. Names
 * that still meet (letter case, or a variable another account already uses) get _2, _3, … in
 * a fixed order: the all-lowercase name first, then by name.
 */
export function secretVariables(a: Pick<Answers, AccountKind>): Map<AccountAnswer, string> {
  const taken = new Set<string>();
  for (const [kind] of KINDS) for (const account of a[kind]) if (account.origin?.kind === 'env') taken.add(account.origin.variable);
  const wanted: Array<{ account: AccountAnswer; base: string }> = [];
  for (const [kind] of KINDS) {
    for (const account of a[kind]) {
      if (account.origin?.kind !== 'env' && account.origin?.kind !== 'file') wanted.push({ account, base: secretEnvName(kind, account.name) });
    }
  }
  const bases = new Set(wanted.map((w) => w.base));
  const order = (x: AccountAnswer, y: AccountAnswer) => {
    const lx = x.name === x.name.toLowerCase() ? 0 : 1;
    const ly = y.name === y.name.toLowerCase() ? 0 : 1;
    return lx - ly || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0);
  };
  const names = new Map<AccountAnswer, string>();
  const used = new Set(taken);
  for (const base of bases) {
    const group = wanted.filter((w) => w.base === base).map((w) => w.account).sort(order);
    let n = 1;
    for (const account of group) {
      let variable = base;
      while (used.has(variable) || (variable !== base && bases.has(variable))) variable = `${base}_${(n += 1)}`;
      used.add(variable);
      names.set(account, variable);
    }
  }
  return names;
}

/** The non-interactive command that reproduces an interactive run, for CI. */
export function equivalentCommand(a: Answers, output: string, replay: ReplayOptions = {}): EquivalentCommand {
  const args = ['substra-deploy', 'init', '--non-interactive'];
  const add = (...parts: string[]) => args.push(...parts);
  // Every setting of the table whose value is not what its default would give.
  for (const setting of SETTINGS) {
    const value = a[setting.key];
    // A boolean is written as asked even where it does not apply (mTLS without TLS).
    if (value === undefined || (setting.type !== 'boolean' && setting.relevant && !setting.relevant(a))) continue;
    const fallback = setting.default?.(a);
    if (setting.type === 'boolean') {
      if (value !== (fallback ?? false)) add(value ? `--${setting.flag}` : `--no-${setting.flag}`);
    } else if (setting.required || value !== fallback) {
      add(`--${setting.flag}`, String(value));
    }
  }
  const derived = derivedHosts(a);
  for (const host of a.allowedHosts) if (!derived?.allowedHosts.includes(host)) add('--allowed-host', host);
  for (const host of derived?.allowedHosts ?? []) if (!a.allowedHosts.includes(host)) add('--remove-allowed-host', host);
  for (const channel of a.channels) add('--channel', channelSpec(channel));
  const environment: EquivalentCommand['environment'] = [];
  const variables = secretVariables(a);
  for (const [kind, flag] of KINDS) {
    for (const account of a[kind]) {
      const variable = variables.get(account) ?? secretEnvName(kind, account.name);
      add(flag, accountSpec(kind, account, variable));
      const holds = kind === 'users' ? `the password of user ${account.name}` : `the ${kind} secret for ${account.name}`;
      if (account.origin?.kind !== 'file' && account.origin?.kind !== 'env') environment.push({ variable, holds });
      else if (account.origin.kind === 'env') environment.push({ variable: account.origin.variable, holds });
    }
  }
  if (replay.secretsMode === 'secret') {
    add('--secrets-mode', 'secret');
    if (replay.accountsSecret) add('--accounts-secret', replay.accountsSecret);
    if (replay.credentials) add('--credentials', replay.credentials);
  }
  if (replay.yamlSchema) add('--yaml-schema', replay.yamlSchema);
  if (replay.chartVersion) add('--chart-version', replay.chartVersion);
  add('--output', output);
  return { command: args.map(shellQuote).join(' '), environment };
}
