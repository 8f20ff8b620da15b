import { spawn } from 'node:child_process';
import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = path.join(ROOT, 'bin', 'substra-deploy.js');
export const TOOLS = path.join(ROOT, '.tools', 'bin');
export const FIXTURE_CHART = path.join(ROOT, 'test', 'fixtures', 'charts', 'substra-backend');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The folder the run's temporary folders go in (test/helpers/global-setup.ts), removed when the run ends. */
export const TEST_TMPDIR_VARIABLE = 'SUBSTRA_DEPLOY_TEST_TMPDIR';

export function tempDir(prefix = 'substra-deploy-'): string {
  return realpathSync(mkdtempSync(path.join(process.env[TEST_TMPDIR_VARIABLE] ?? tmpdir(), prefix)));
}

/** A clean environment: no CI flags or colour settings leak in from the runner. */
export function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: `${TOOLS}:${process.env.PATH}`, HOME: process.env.HOME, LANG: 'C.UTF-8' };
  return { ...env, ...extra };
}

/**
 * Runs the built CLI. stdin is a pipe that is never written nor closed: a run that waited on
 * stdin would hang until the timeout instead of passing.
 */
export function runCli(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: options.env ?? baseEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`substra-deploy ${args.join(' ')} did not finish in time (waiting on stdin?)\n${stderr}`));
    }, options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export function run(bin: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: options.cwd, env: options.env ?? baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The non-interactive flags for the guide's example backend. */
export const GUIDE_FLAGS = [
  'init', '--non-interactive',
  '--organization', 'ingen',
  '--host-domain', 'cluster-1.example.com',
  '--orchestrator-host', 'orchestrator.cluster-1.example.com',
  '--tls-secret', 'api-tls',
  '--orchestrator-tls', '--mtls',
  '--channel', 'our-channel,model-export',
  '--user', 'admin,channel=our-channel,password-env=ADMIN_PASSWORD',
  '--incoming', 'biotechnica,secret-env=BIO_IN',
  '--outgoing', 'biotechnica,secret-env=BIO_OUT',
];
export const GUIDE_ENV = {
  ADMIN_PASSWORD: 'correct-Horse-battery-staple-42',
  BIO_IN: 'Zq3wX7eR9tY2uI5oP8aS1dF',
  BIO_OUT: 'Hj6kL9zX2cV5bN8mQ1wE4rT',
};
