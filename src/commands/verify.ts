import { StepError, UsageError } from '../core/errors.js';
import { urlWithoutCredentials } from '../core/mask.js';
import { readSecretReference } from '../io/secrets.js';
import type { CommandContext } from '../app/context.js';

export interface VerifyFlags {
  url?: string;
  user?: string;
  passwordEnv?: string;
  passwordFile?: string;
  /** seconds */
  timeout?: number;
  /** a backend values file: call each of its outgoing organizations (verify-peers.ts) */
  peers?: string;
  peerUrl?: string[];
  caCert?: string;
  credentials?: string;
}

export const LOGIN_REFUSED_HINT =
  'hint: either the password differs, or the user was never created: the add-account Job skips users whose password fails the backend policy (check with: substra-deploy validate <values file>)';

/** The password of --user: from --password-env/--password-file, else a prompt when interactive. */
export async function passwordFor(flags: VerifyFlags & { user: string }, ctx: CommandContext): Promise<string> {
  const account = {
    name: flags.user,
    ...(flags.passwordEnv ? { origin: { kind: 'env' as const, variable: flags.passwordEnv } } : {}),
    ...(flags.passwordFile ? { origin: { kind: 'file' as const, path: flags.passwordFile } } : {}),
  };
  const read = await readSecretReference(account, ctx.env, ctx.cwd, `--user ${flags.user}`);
  if (read.problem) throw new UsageError([read.problem]);
  if (read.secret !== undefined) return read.secret;
  if (!ctx.interactive) throw new UsageError([`--user ${flags.user}: give --password-env VAR or --password-file PATH (no prompt when not interactive)`]);
  return ctx.prompter().secret({ message: `Password for ${flags.user}` });
}

const NO_CREDENTIALS = 'Authentication credentials were not provided.';

export function baseUrl(raw: string, flag = '--url'): URL {
  let url: URL;
  const shown = urlWithoutCredentials(raw);
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError([`${flag} "${shown}": must be a URL such as https://api.cluster-1.example.com`]);
  }
  if (!/^https?:$/.test(url.protocol)) throw new UsageError([`${flag} "${shown}": must start with https:// or http://`]);
  if (url.username || url.password) {
    // fetch refuses such a URL with a message quoting it whole; and it would sit in shell history.
    throw new UsageError([`${flag}: holds a user name and password (${shown}): give the URL without them, and the user as --user NAME --password-env VAR (or --password-file PATH)`]);
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

function networkHint(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve: check DNS for the ingress host';
  if (code === 'ECONNREFUSED') return 'nothing listens there: check the ingress and its controller';
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return 'the TLS certificate is not trusted here: set NODE_EXTRA_CA_CERTS to its CA file';
  if ((error as Error).name === 'TimeoutError') return 'no answer in time: check the ingress, or raise --timeout';
  return cause?.message ?? (error as Error).message;
}

async function request(url: URL, init: RequestInit, seconds: number): Promise<{ status: number; body: string; location?: string }> {
  try {
    const response = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(seconds * 1000) });
    const location = response.headers.get('location') ?? undefined;
    return { status: response.status, body: await response.text(), ...(location ? { location } : {}) };
  } catch (error) {
    throw new StepError(`could not reach ${url.origin}`, `hint: ${networkHint(error)}`);
  }
}

/** Where a redirect of the probe leads (an ingress sending http to https), as the --url to give. */
function redirectHint(location: string, probe: URL): string {
  let target: URL;
  try {
    target = new URL(location, probe);
  } catch {
    return 'it redirects elsewhere: give --url the address it redirects to';
  }
  target.username = '';
  target.password = '';
  const base = target.href.endsWith('/active-api-tokens/') ? target.href.slice(0, -'active-api-tokens/'.length) : `${target.origin}/`;
  return `it redirects to ${target.href}: give --url ${base.replace(/\/$/, '')}`;
}

/**
 * Proves the backend is up (it refuses an anonymous call the way Django REST framework does)
 * and, with --user, that the user exists: the chart's Job silently skips users whose password
 * the backend rejects, so only a login shows it.
 */
export async function runVerify(flags: VerifyFlags, ctx: CommandContext): Promise<number> {
  if (flags.peers !== undefined) {
    const { runVerifyPeers } = await import('./verify-peers.js');
    return runVerifyPeers({ ...flags, peers: flags.peers }, ctx);
  }
  const peersOnly = (['peerUrl', 'caCert', 'credentials'] as const).filter((k) => flags[k] !== undefined);
  if (peersOnly.length) {
    throw new UsageError([`${peersOnly.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}: only with --peers FILE`]);
  }
  if (flags.url === undefined) throw new UsageError(['missing --url (the backend to check), or --peers FILE (its outgoing organizations)']);
  const url = baseUrl(flags.url);
  const seconds = flags.timeout ?? 15;
  const checks: Array<{ check: string; ok: boolean }> = [];
  // What was proved before a failure stays in the --json document.
  ctx.outcome.set({ url: url.origin, checks });

  const probe = await request(new URL('active-api-tokens/', url), { headers: { Accept: 'application/json' } }, seconds);
  if (probe.status !== 401 || !probe.body.includes(NO_CREDENTIALS)) {
    const hint =
      probe.status >= 300 && probe.status < 400 && probe.location
        ? redirectHint(probe.location, new URL('active-api-tokens/', url))
        : probe.status === 400
        ? 'a 400 usually means the host is not in config.ALLOWED_HOSTS'
        : probe.status === 404 || probe.status === 503 || probe.status === 502
          ? 'the ingress answers but the backend does not: check the server pod (kubectl get pods)'
          : 'this does not look like a Substra backend';
    throw new StepError(`${url.origin} answered ${probe.status}, not 401 "${NO_CREDENTIALS}"`, `hint: ${hint}`);
  }
  checks.push({ check: 'backend answers', ok: true });
  ctx.term.success(`${url.origin} is a Substra backend and asks for credentials`);

  if (flags.user) {
    const password = await passwordFor({ ...flags, user: flags.user }, ctx);
    const login = await request(
      new URL('api-token-auth/', url),
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: new URLSearchParams({ username: flags.user, password }).toString(),
      },
      seconds,
    );
    let token: unknown;
    try {
      token = (JSON.parse(login.body) as { token?: unknown }).token;
    } catch {
      token = undefined;
    }
    if (login.status !== 200 || typeof token !== 'string' || token === '') {
      throw new StepError(`user ${flags.user} could not log in (${login.status})`, LOGIN_REFUSED_HINT);
    }
    checks.push({ check: `user ${flags.user} logs in`, ok: true });
    ctx.term.success(`user ${flags.user} exists and logs in`);
  }
  return 0;
}
