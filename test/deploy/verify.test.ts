import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, tempDir } from '../helpers/cli.js';
import { runMain } from '../helpers/in-process.js';

const PASSWORD = 'correct-Horse-battery-staple-42';
let server: Server;
let url: string;
const seen: string[] = [];

/** The backend's two endpoints, as Django REST framework answers them. */
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url} ${body}`);
      if (req.url === '/active-api-tokens/') {
        res.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer' });
        res.end(JSON.stringify({ detail: 'Authentication credentials were not provided.' }));
        return;
      }
      if (req.url === '/api-token-auth/' && req.method === 'POST') {
        const form = new URLSearchParams(body);
        if (form.get('username') === 'admin' && form.get('password') === PASSWORD) {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ token: 'tok-123', expires_at: '2026-12-01T00:00:00Z' }));
        } else {
          res.writeHead(400, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ non_field_errors: ['Unable to log in with provided credentials.'] }));
        }
        return;
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('verify against a stand-in backend on 127.0.0.1', () => {
  it('recognises a backend by its 401 "Authentication credentials were not provided."', async () => {
    const r = await runMain(['verify', '--url', url], { cwd: tempDir() });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${url} is a Substra backend and asks for credentials`);
  });

  it('proves a user exists by logging in, without printing the password or the token', async () => {
    const r = await runMain(['verify', '--url', url, '--user', 'admin', '--password-env', 'PW', '--json'], { cwd: tempDir(), env: baseEnv({ PW: PASSWORD }) });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('user admin exists and logs in');
    expect(JSON.parse(r.stdout)).toMatchObject({ command: 'verify', ok: true, checks: [{ ok: true }, { check: 'user admin logs in', ok: true }] });
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    expect(r.stdout + r.stderr).not.toContain('tok-123');
  });

  it('explains a refused login by the silently skipped user', async () => {
    const r = await runMain(['verify', '--url', url, '--user', 'ghost', '--password-env', 'PW'], { cwd: tempDir(), env: baseEnv({ PW: 'whatever-password-it-is' }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('user ghost could not log in (400)');
    expect(r.stderr).toContain('the add-account Job skips users whose password fails the backend policy');
  });

  it('says when the address is not a Substra backend', async () => {
    const other = createServer((_req, res) => res.writeHead(200).end('hello'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const r = await runMain(['verify', '--url', `http://127.0.0.1:${(other.address() as AddressInfo).port}`], { cwd: tempDir() });
    other.close();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('answered 200, not 401');
  });

  it('names a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const r = await runMain(['verify', '--url', `http://127.0.0.1:${port}`], { cwd: tempDir() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('hint: nothing listens there');
  });

  it('needs a password source when not interactive', async () => {
    const r = await runMain(['verify', '--url', url, '--user', 'admin'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('give --password-env VAR or --password-file PATH');
  });

  it('refuses a --url holding a user name and password without printing the password, parsed or not', async () => {
    const secret = 'S3cret-in-the-url-9';
    for (const given of [`${url.replace('//', `//admin:${secret}@`)}/`, `https://admin:${secret}@exa mple.com/`]) {
      const r = await runMain(['verify', '--url', given, '--json'], { cwd: tempDir() });
      expect(r.code).toBe(2);
      expect(r.stdout + r.stderr).not.toContain(secret);
      expect(JSON.parse(r.stdout).errors[0].message).toMatch(/^--url\b/);
    }
    const parsed = await runMain(['verify', '--url', `${url.replace('//', `//admin:${secret}@`)}/`], { cwd: tempDir() });
    expect(parsed.stderr).toContain('--url: holds a user name and password');
    expect(parsed.stderr).toContain('--user NAME --password-env VAR');
  });

  it('says where a redirect leads (http to https at the ingress) instead of "not a Substra backend"', async () => {
    const redirecting = createServer((req, res) => res.writeHead(308, { Location: `https://api.example.com${req.url}` }).end());
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    try {
      const r = await runMain(['verify', '--url', `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}`], { cwd: tempDir() });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('hint: it redirects to https://api.example.com/active-api-tokens/: give --url https://api.example.com');
    } finally {
      await new Promise<void>((resolve) => redirecting.close(() => resolve()));
    }
  });
});
