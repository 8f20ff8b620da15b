import { readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { makeServerCertificates } from '../helpers/certs.js';
import { tempDir } from '../helpers/cli.js';
import { runMain } from '../helpers/in-process.js';
import { guideValues } from '../helpers/values.js';

/**
 * verify --peers against HTTPS stand-ins on 127.0.0.1 that answer as a peer backend's model
 * list does: 200 to the Basic credentials it holds in its incoming organizations, 401
 * "Invalid username/password." to others, 400 without the channel header.
 */
const SECRETS = {
  biotechnica: 'Hj6kL9zX2cV5bN8mQ1wE4rT',
  tyrell: 'Vb7nM3qW9eR2tY6uI1oP5aS',
  wayland: 'Lk4jH8gF2dS6aQ9wE3rT7yU',
  umbrella: 'Pq2wE5rT8yU1iO4pA7sD0fG',
  ingen: 'Zx9cV3bN6mQ2wE5rT8yU1iO',
};
const ADMIN_PASSWORD = 'correct-Horse-battery-staple-42';
const TOKEN = 'tok-4f9a2c1e7b';
const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`, 'latin1').toString('base64')}`;

interface Seen {
  url?: string;
  authorization?: string;
  channel?: string | string[];
}

let certs: ReturnType<typeof makeServerCertificates>;
const servers: Server[] = [];
const seen: Seen[] = [];
let dir: string;
let accepting: string;
let refusing: string;
let untrusted: string;
let closed: string;
let ownReaching: string;
let ownCutOff: string;

/** A peer backend that knows one incoming organization "ingen" with `secret`. */
function peerBackend(tls: { cert: string; key: string }, secret: string): Server {
  return createServer({ cert: readFileSync(tls.cert), key: readFileSync(tls.key) }, (req, res) => {
    seen.push({ url: req.url, authorization: req.headers.authorization, channel: req.headers['substra-channel-name'] });
    res.setHeader('Content-Type', 'application/json');
    if (!req.url?.startsWith('/model/')) return res.writeHead(404).end('{"detail":"Not found."}');
    if (req.headers.authorization !== basic('ingen', secret)) return res.writeHead(401).end('{"detail":"Invalid username/password."}');
    if (!req.headers['substra-channel-name']) return res.writeHead(400).end('{"detail":"Could not determine channel name"}');
    res.writeHead(200).end('{"count":0,"next":null,"previous":null,"results":[]}');
  });
}

/** The file's own backend: api-token-auth/ for admin, and a logged-in /info/. */
function ownBackend(orchestratorAnswers: boolean): Server {
  return createServer({ cert: readFileSync(certs.server.cert), key: readFileSync(certs.server.key) }, (req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      res.setHeader('Content-Type', 'application/json');
      if (req.url === '/api-token-auth/' && req.method === 'POST') {
        const form = new URLSearchParams(body);
        if (form.get('username') === 'admin' && form.get('password') === ADMIN_PASSWORD) return res.writeHead(200).end(JSON.stringify({ token: TOKEN }));
        return res.writeHead(400).end('{"non_field_errors":["Unable to log in with provided credentials."]}');
      }
      if (req.url === '/info/') {
        const anonymous = { host: 'https://api.ingen.example.com', organization_id: 'ingen', organization_name: 'ingen', config: {}, auth: {} };
        if (req.headers.authorization !== `Token ${TOKEN}`) return res.writeHead(200).end(JSON.stringify(anonymous));
        if (!orchestratorAnswers) return res.writeHead(500).end('<h1>Server Error (500)</h1>');
        return res.writeHead(200).end(JSON.stringify({ ...anonymous, channel: 'our-channel', version: '1.0.1', orchestrator_version: '1.0.0', user: 'admin', user_role: 'ADMIN' }));
      }
      res.writeHead(404).end();
    });
  });
}

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  certs = makeServerCertificates();
  accepting = await listen(peerBackend(certs.server, SECRETS.biotechnica));
  refusing = await listen(peerBackend(certs.server, 'a-secret-tyrell-never-got-1'));
  untrusted = await listen(peerBackend(certs.otherServer, SECRETS.wayland));
  ownReaching = await listen(ownBackend(true));
  ownCutOff = await listen(ownBackend(false));
  const gone = createHttpServer();
  await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
  closed = `https://127.0.0.1:${(gone.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => gone.close(() => resolve()));

  dir = tempDir();
  const values = guideValues();
  values.addAccountOperator!.outgoingOrganizations = Object.entries(SECRETS).map(([name, secret]) => ({ name, secret }));
  writeFileSync(path.join(dir, 'ingen-values.yaml'), stringify(values));
});
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

const verify = (args: string[], env: Record<string, string> = {}) =>
  runMain(['verify', '--peers', 'ingen-values.yaml', '--timeout', '10s', ...args], { cwd: dir, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });

function expectNoSecret(output: string): void {
  for (const secret of [...Object.values(SECRETS), ADMIN_PASSWORD, TOKEN]) expect(output).not.toContain(secret);
  expect(output).not.toContain(basic('ingen', SECRETS.biotechnica));
}

describe('verify --peers FILE --peer-url MSPID=URL', () => {
  it('tells accepted, credentials refused, certificate refused and unreachable apart, lists the rest as not checked, exits 1, prints no secret, and --json is one document', async () => {
    const r = await verify(
      ['--ca-cert', certs.ca, '--json', '--peer-url', `biotechnica=${accepting}`, '--peer-url', `tyrell=${refusing}`, '--peer-url', `wayland=${untrusted}`, '--peer-url', `umbrella=${closed}`],
    );
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ command: 'verify', ok: false, mspId: 'ingen', channel: 'our-channel', file: path.join(dir, 'ingen-values.yaml') });
    const outcomes = Object.fromEntries(report.peers.map((p: { mspId: string; outcome: string }) => [p.mspId, p.outcome]));
    expect(outcomes).toEqual({
      biotechnica: 'accepted',
      tyrell: 'credentials refused',
      wayland: 'certificate refused',
      umbrella: 'unreachable',
      ingen: 'not checked',
    });
    expect(report.peers.find((p: { mspId: string }) => p.mspId === 'tyrell')).toMatchObject({ status: 401 });
    expect(report.peers.find((p: { mspId: string }) => p.mspId === 'umbrella').detail).toContain('nothing listens at 127.0.0.1:');
    expect(r.stderr).toContain(`tyrell (${refusing}/): credentials refused`);
    expect(r.stderr).toContain('- ingen: not checked — no --peer-url ingen=URL');
    expectNoSecret(r.stdout + r.stderr);
  });

  it('calls as a backend does: GET model/?page_size=1, Basic with the own mspID and the outgoing secret, and a channel of the file', async () => {
    seen.length = 0;
    const r = await verify(['--ca-cert', certs.ca, '--peer-url', `biotechnica=${accepting}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(seen).toEqual([{ url: '/model/?page_size=1', authorization: basic('ingen', SECRETS.biotechnica), channel: 'our-channel' }]);
    expect(r.stderr).toContain(`biotechnica (${accepting}/): accepted`);
    expect(r.stderr).toContain('1 of 5 outgoing organizations checked: all accept ingen');
  });

  it('refuses the certificate of a private CA unless --ca-cert names it', async () => {
    const r = await verify(['--json', '--peer-url', `biotechnica=${accepting}`]);
    expect(r.code).toBe(1);
    const [peer] = JSON.parse(r.stdout).peers;
    expect(peer).toMatchObject({ mspId: 'biotechnica', outcome: 'certificate refused' });
    expect(peer.hint).toContain('--ca-cert FILE');
  });

  it('exits 0 when every checked peer accepts, whatever is not checked', async () => {
    const r = await verify(['--ca-cert', certs.ca, '--json', '--peer-url', `biotechnica=${accepting}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).ok).toBe(true);
  });

  it('reads the outgoing secrets from the credentials file in secrets mode', async () => {
    const values = guideValues() as Record<string, any>;
    values.addAccountOperator = { existingSecret: 'backend-accounts' };
    writeFileSync(path.join(dir, 'secret-mode.yaml'), stringify(values));
    writeFileSync(
      path.join(dir, 'secret-mode.credentials.yaml'),
      stringify({ addAccountOperator: { users: [], incomingOrganizations: [], outgoingOrganizations: [{ name: 'biotechnica', secret: SECRETS.biotechnica }] } }),
    );
    const r = await runMain(['verify', '--peers', 'secret-mode.yaml', '--ca-cert', certs.ca, '--peer-url', `biotechnica=${accepting}`, '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).peers).toEqual([expect.objectContaining({ mspId: 'biotechnica', outcome: 'accepted' })]);
    expectNoSecret(r.stdout + r.stderr);
  });

  it('refuses a --peer-url for an organization the file does not call, as a usage error', async () => {
    const r = await verify(['--peer-url', `tyrel=${accepting}`, '--peer-url', 'nourl']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--peer-url tyrel=…: tyrel is not an outgoing organization of ingen-values.yaml (it calls: biotechnica, tyrell, wayland, umbrella, ingen)');
    expect(r.stderr).toContain('--peer-url "nourl": must be MSPID=URL');
  });

  it('takes no credentials inside a --peer-url, and does not echo them', async () => {
    const r = await verify(['--peer-url', `biotechnica=https://ingen:${SECRETS.biotechnica}@127.0.0.1:1/`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--peer-url biotechnica=…: must not hold credentials');
    expectNoSecret(r.stdout + r.stderr);
  });
});

describe('verify --peers FILE --user NAME', () => {
  it("logs in to the file's backend and reads /info/: the orchestrator answers", async () => {
    const r = await verify(['--ca-cert', certs.ca, '--url', ownReaching, '--user', 'admin', '--password-env', 'PW', '--json', '--peer-url', `biotechnica=${accepting}`], { PW: ADMIN_PASSWORD });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).backend).toEqual({
      url: `${ownReaching}/`,
      user: 'admin',
      outcome: 'reaches the orchestrator',
      ok: true,
      detail: 'the orchestrator (1.0.0) answers the backend on channel our-channel',
      orchestratorVersion: '1.0.0',
      channel: 'our-channel',
    });
    expectNoSecret(r.stdout + r.stderr);
  });

  it('says when the backend does not reach its orchestrator (/info/ answers 500), and exits 1', async () => {
    const r = await verify(['--ca-cert', certs.ca, '--url', ownCutOff, '--user', 'admin', '--password-env', 'PW', '--json'], { PW: ADMIN_PASSWORD });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.backend).toMatchObject({ outcome: 'does not reach the orchestrator', ok: false });
    expect(report.backend.hint).toContain('orchestrator.host');
    expect(r.stderr).toContain('does not reach the orchestrator');
    expectNoSecret(r.stdout + r.stderr);
  });

  it('says when the login is refused, without the password', async () => {
    const r = await verify(['--ca-cert', certs.ca, '--url', ownReaching, '--user', 'admin', '--password-env', 'PW', '--json'], { PW: 'not-the-Password-of-admin-9' });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).backend).toMatchObject({ outcome: 'login refused', ok: false });
    expect(r.stdout + r.stderr).not.toContain('not-the-Password-of-admin-9');
  });
});

describe('verify without --peers', () => {
  it('needs --url, and keeps --peer-url, --ca-cert and --credentials for --peers', async () => {
    const noUrl = await runMain(['verify'], { cwd: dir });
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain('missing --url');
    const stray = await runMain(['verify', '--url', accepting, '--ca-cert', certs.ca], { cwd: dir });
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('--ca-cert: only with --peers FILE');
  });

  it('--help shows a --peers example, its continued line intact', async () => {
    const r = await runMain(['verify', '--help'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('$ substra-deploy verify --peers ingen-values.yaml --peer-url biotechnica=https://api.biotechnica.example.com \\\n      --peer-url ingen=');
  });
});
