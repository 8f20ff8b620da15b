import path from 'node:path';
import { chartProfile } from '../core/chart.js';
import { readCertificate } from '../core/certs.js';
import { UsageError, ValidationError, type Issue } from '../core/errors.js';
import {
  connectionFailure,
  notChecked,
  orchestratorReach,
  parsePeerUrls,
  peerAnswerResult,
  peerProbeUrl,
  peerRequestHeaders,
  planPeerChecks,
  type Caller,
  type PeerCheckPlan,
  type PeerResult,
} from '../core/peer-check.js';
import { answersFromValues } from '../core/values-doc.js';
import { readTextFile } from '../io/files.js';
import { httpClient, NetworkFailure, type HttpRequest } from '../io/https.js';
import { effectiveValues, loadBackendFiles } from '../app/backend-files.js';
import type { CommandContext } from '../app/context.js';
import { baseUrl, LOGIN_REFUSED_HINT, passwordFor, type VerifyFlags } from './verify.js';

export type BackendOutcome =
  | 'reaches the orchestrator'
  | 'isolated'
  | 'does not reach the orchestrator'
  | 'login refused'
  | 'certificate refused'
  | 'unreachable'
  | 'unexpected answer';

/** The own backend, logged in with --user: does it reach its orchestrator? */
export interface BackendResult {
  url: string;
  user: string;
  outcome: BackendOutcome;
  ok: boolean;
  detail: string;
  hint?: string;
  channel?: string;
  orchestratorVersion?: string;
}

interface OwnBackend {
  url: URL;
  user: string;
  password: string;
}

/**
 * Calls each outgoing organization of a values file as its backend will, and with --user asks
 * the file's own backend whether it reaches the orchestrator. One JSON document with --json,
 * whatever the outcome; exit 1 when a checked peer or the own backend fails.
 */
export async function runVerifyPeers(flags: VerifyFlags & { peers: string }, ctx: CommandContext): Promise<number> {
  const problems: string[] = [];
  const { urls, problems: urlProblems } = parsePeerUrls(flags.peerUrl ?? []);
  problems.push(...urlProblems);

  const profile = chartProfile();
  const files = await loadBackendFiles(flags.peers, profile, ctx.cwd, flags.credentials, 'required');
  const answers = answersFromValues(effectiveValues(files), profile);
  const mspId = answers.mspId;
  const channel = answers.channels?.[0]?.name;
  if (!mspId) problems.push(`${flags.peers}: orchestrator.mspID is not set; it is the user name a backend sends its peers`);
  if (!channel) problems.push(`${flags.peers}: orchestrator.channels is empty; a backend names a channel in every call to a peer`);
  const { plans, problems: planProblems } = planPeerChecks(answers.outgoing ?? [], urls, flags.peers);
  problems.push(...planProblems);

  let extraCa: string | undefined;
  if (flags.caCert !== undefined) {
    const pem = await readTextFile(flags.caCert, '--ca-cert', ctx.cwd);
    const { problem } = readCertificate(pem, new Date());
    if (problem) problems.push(`--ca-cert ${flags.caCert}: ${problem}`);
    else extraCa = pem;
  }

  let own: OwnBackend | undefined;
  if (flags.url !== undefined && flags.user === undefined) {
    problems.push('--url with --peers: the backend --user logs in to, to read /info/; add --user NAME, or check it apart with verify --url');
  }
  if (flags.user !== undefined) {
    const raw = flags.url ?? answers.defaultDomain;
    let url: URL | undefined;
    if (raw === undefined) problems.push(`--user ${flags.user}: give --url (${flags.peers} has no server.defaultDomain)`);
    else {
      try {
        url = baseUrl(raw, flags.url !== undefined ? '--url' : `${flags.peers}: server.defaultDomain`);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        problems.push(...error.problems);
      }
    }
    // A prompt waits until the command line is known to be right.
    if (problems.length === 0 || !ctx.interactive) {
      try {
        const password = await passwordFor({ ...flags, user: flags.user }, ctx);
        if (url) own = { url, user: flags.user, password };
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        problems.push(...error.problems);
      }
    }
  }
  if (problems.length) throw new UsageError(problems);

  const caller: Caller = { mspId: mspId as string, channel: channel as string, file: flags.peers };
  const request = httpClient({ extraCa, timeoutSeconds: flags.timeout ?? 15 });
  const [peers, backend] = await Promise.all([
    Promise.all(plans.map((plan) => checkPeer(request, plan, caller, extraCa !== undefined))),
    own ? checkOwnBackend(request, own, caller, extraCa !== undefined) : undefined,
  ]);

  printPeers(peers, ctx);
  if (backend) printBackend(backend, ctx);
  const checked = peers.filter((p) => p.outcome !== 'not checked');
  const failed = checked.filter((p) => p.outcome !== 'accepted');
  ctx.outcome.set({ file: path.resolve(ctx.cwd, flags.peers), mspId: caller.mspId, channel: caller.channel, peers, ...(backend ? { backend } : {}) });
  if (checked.length === 0) {
    const message = `no outgoing organization was checked: give --peer-url MSPID=URL for ${peers.map((p) => p.mspId).join(', ') || 'each'}`;
    ctx.term.warn(message);
    ctx.outcome.warn({ path: '--peer-url', message });
  } else if (failed.length === 0) {
    ctx.term.success(`${checked.length} of ${peers.length} outgoing organization${peers.length === 1 ? '' : 's'} checked: all accept ${caller.mspId}'s calls`);
  } else {
    ctx.term.info(`${failed.length} of ${checked.length} checked organization${checked.length === 1 ? '' : 's'} did not accept ${caller.mspId}'s call: ${failed.map((p) => `${p.mspId} (${p.outcome})`).join(', ')}`);
  }
  // Each refusal was printed above; for --json they are the document's errors (exit 1).
  const refused: Issue[] = failed.map((p) => ({ path: p.mspId, message: `${p.outcome}: ${p.detail}` }));
  if (backend && !backend.ok) refused.push({ path: backend.url, message: `${backend.outcome}: ${backend.detail}` });
  if (refused.length) throw new ValidationError(refused, true);
  return 0;
}

async function checkPeer(request: HttpRequest, plan: PeerCheckPlan, caller: Caller, extraCa: boolean): Promise<PeerResult> {
  if (!plan.url || !plan.secret) return notChecked(plan);
  const headers = peerRequestHeaders(caller, plan.secret);
  if (!headers) return notChecked(plan, `its secret or ${caller.mspId} holds characters outside Latin-1, which HTTP Basic cannot carry`);
  try {
    const answer = await request(peerProbeUrl(plan.url), { headers });
    return peerAnswerResult(plan, caller, answer.status, answer.location);
  } catch (error) {
    if (!(error instanceof NetworkFailure)) throw error;
    return { mspId: plan.mspId, url: plan.url, ...connectionFailure(plan.url, error.code, error.message, extraCa) };
  }
}

async function checkOwnBackend(request: HttpRequest, own: OwnBackend, caller: Caller, extraCa: boolean): Promise<BackendResult> {
  const base = { url: own.url.href, user: own.user };
  try {
    const login = await request(new URL('api-token-auth/', own.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({ username: own.user, password: own.password }).toString(),
    });
    const token = tokenOf(login.body);
    if (login.status !== 200 || token === undefined) {
      return { ...base, outcome: 'login refused', ok: false, detail: `user ${own.user} could not log in (${login.status})`, hint: LOGIN_REFUSED_HINT.replace(/^hint: /, '') };
    }
    const info = await request(new URL('info/', own.url), { headers: { Authorization: `Token ${token}`, Accept: 'application/json' } });
    const reach = orchestratorReach(info.status, info.body);
    switch (reach.kind) {
      case 'reached':
        return {
          ...base,
          outcome: 'reaches the orchestrator',
          ok: true,
          detail: `the orchestrator (${reach.orchestratorVersion}) answers the backend${reach.channel ? ` on channel ${reach.channel}` : ''}`,
          orchestratorVersion: reach.orchestratorVersion,
          ...(reach.channel ? { channel: reach.channel } : {}),
        };
      case 'isolated':
        return { ...base, outcome: 'isolated', ok: true, detail: 'the backend runs isolated: it calls no orchestrator', ...(reach.channel ? { channel: reach.channel } : {}) };
      case 'not reached':
        return {
          ...base,
          outcome: 'does not reach the orchestrator',
          ok: false,
          detail: '/info/ answered 500: the backend could not ask the orchestrator for its version',
          hint: `check orchestrator.host and orchestrator.port, orchestrator.sameCluster (it picks the network policy), with TLS the CA object orchestrator.tls.cacert names, with mTLS the client certificate, and that ${caller.mspId} is a member of the user's channel on the orchestrator (substra-deploy validate ${caller.file} --orchestrator-values FILE)`,
        };
      case 'not logged in':
        return { ...base, outcome: 'unexpected answer', ok: false, detail: '/info/ answered as to an anonymous caller: the backend did not take the token of api-token-auth/' };
      case 'unexpected':
        return { ...base, outcome: 'unexpected answer', ok: false, detail: `/info/ answered ${reach.status}` };
    }
  } catch (error) {
    if (!(error instanceof NetworkFailure)) throw error;
    return { ...base, ok: false, ...connectionFailure(own.url.href, error.code, error.message, extraCa) };
  }
}

function tokenOf(body: string): string | undefined {
  try {
    const token = (JSON.parse(body) as { token?: unknown } | null)?.token;
    return typeof token === 'string' && token !== '' ? token : undefined;
  } catch {
    return undefined;
  }
}

function printPeers(peers: PeerResult[], ctx: CommandContext): void {
  const { term } = ctx;
  for (const p of peers) {
    const who = p.url ? `${p.mspId} (${p.url})` : p.mspId;
    if (p.outcome === 'accepted') term.success(`${who}: accepted — ${p.detail}`);
    else if (p.outcome === 'not checked') term.info(`- ${who}: not checked — ${p.detail}`);
    else {
      term.error(`${who}: ${p.outcome} — ${p.detail}`);
      if (p.hint) term.info(`  hint: ${p.hint}`);
    }
  }
}

function printBackend(b: BackendResult, ctx: CommandContext): void {
  const line = `your backend ${b.url} (user ${b.user}): ${b.outcome} — ${b.detail}`;
  if (b.ok) ctx.term.success(line);
  else {
    ctx.term.error(line);
    if (b.hint) ctx.term.info(`  hint: ${b.hint}`);
  }
}
