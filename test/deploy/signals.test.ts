import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sharedChartRepository } from '../helpers/chart-repo.js';
import { BIN, GUIDE_ENV, GUIDE_FLAGS, tempDir } from '../helpers/cli.js';
import { processesWithArgv, survivorsWithArgv, uniqueSleep, waitForFile } from '../helpers/processes.js';
import { runMain } from '../helpers/in-process.js';
import { StandIns } from '../helpers/standins.js';

const repo = sharedChartRepository();

const NO_TLS = GUIDE_FLAGS.filter((f) => f !== '--orchestrator-tls' && f !== '--mtls');
const sleeps: string[] = [];
afterEach(() => {
  // A failed test must not leave its sleep behind (only the ones this file started).
  for (const seconds of sleeps.splice(0)) for (const pid of processesWithArgv(['sleep', seconds])) process.kill(pid, 'SIGKILL');
});

/** The built CLI, to be signalled: resolves with its exit code and output. */
function start(args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, exited };
}

/**
 * A values file in secrets mode written, then `deploy` of it started as a process, waiting in
 * the `tool` `step` (a stand-in that sleeps): ready to be signalled.
 */
async function deployStoppedAt(tool: 'helm' | 'kubectl', step: string, ...flags: string[]) {
  const dir = tempDir();
  const tmp = tempDir('tmpdir-');
  const standIns = new StandIns();
  expect((await runMain([...NO_TLS, '--secrets-mode', 'secret'], { cwd: dir, env: { ...standIns.env(), ...GUIDE_ENV } })).code).toBe(0);
  const seconds = uniqueSleep();
  sleeps.push(seconds);
  const marker = path.join(standIns.dir, `${tool}-${step}.pid`);
  standIns.sleepOn(tool, step, seconds, marker);
  const run = start(['deploy', '--values', 'backend-values.yaml', '--repo-url', repo.url, ...flags], dir, { ...standIns.env(), TMPDIR: tmp });
  await waitForFile(marker);
  return { dir, tmp, seconds, run };
}

describe('signals and time limits', () => {
  // In-process: the step's child runs in a process group of its own either way.
  it('a step timeout stops the whole process group: a wrapper script around helm that sleeps in a child', async () => {
    const dir = tempDir();
    const standIns = new StandIns();
    expect((await runMain(NO_TLS, { cwd: dir, env: { ...standIns.env(), ...GUIDE_ENV } })).code).toBe(0);
    const seconds = uniqueSleep();
    sleeps.push(seconds);
    const marker = path.join(standIns.dir, 'helm-upgrade.pid');
    standIns.sleepOn('helm', 'upgrade', seconds, marker);
    const started = Date.now();
    const r = await runMain(['deploy', '--values', 'backend-values.yaml', '--repo-url', repo.url, '--timeout', '1s'], { cwd: dir, env: standIns.env() });
    expect(r.stderr).toContain('failed: timed out after 2s');
    expect(r.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(survivorsWithArgv(['sleep', seconds])).toEqual([]);
  });

  it('SIGTERM during a deploy step: the step is stopped, the private folder of account lines and every temporary are gone, exit 130', async () => {
    const { dir, tmp, seconds, run } = await deployStoppedAt('kubectl', 'apply');
    // The accounts Secret is being applied: its lines sit in plain text in a private folder.
    const privateFolders = () => readdirSync(tmp).filter((f) => f.startsWith('substra-deploy-'));
    expect(privateFolders()).toHaveLength(1);
    run.child.kill('SIGTERM');
    const r = await run.exited;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('cancelled: nothing was written');
    expect(privateFolders()).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.startsWith('.') || f.endsWith('.lock'))).toEqual([]);
    expect(survivorsWithArgv(['sleep', seconds])).toEqual([]);
  });

  it('SIGTERM during a deploy step with --json: stdout is one JSON document (ok false, the steps done), and the note says what the cluster got', async () => {
    const { tmp, seconds, run } = await deployStoppedAt('helm', 'upgrade', '--json');
    run.child.kill('SIGTERM');
    const r = await run.exited;
    expect(r.code).toBe(130);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ command: 'deploy', ok: false });
    expect(report.errors[0].message).toContain('cancelled');
    expect(report.steps.map((s: { id: string; status: string }) => `${s.id} ${s.status}`)).toContain('accounts done');
    // The accounts Secret was applied before the signal: "nothing was changed" would not be true.
    expect(r.stderr).toContain('cancelled: nothing was written');
    expect(r.stderr).toContain('in the cluster, done before the interruption: Put the accounts in Secret backend-accounts');
    expect(r.stderr).toContain('interrupted: Install or upgrade release backend');
    for (const secret of Object.values(GUIDE_ENV)) expect(r.stdout + r.stderr).not.toContain(secret);
    expect(readdirSync(tmp)).toEqual([]);
    expect(survivorsWithArgv(['sleep', seconds])).toEqual([]);
  });

  it('SIGHUP during init --deploy: says which files were written before it, leaves no temporary', async () => {
    const dir = tempDir();
    const tmp = tempDir('tmpdir-');
    const standIns = new StandIns();
    const seconds = uniqueSleep();
    sleeps.push(seconds);
    const marker = path.join(standIns.dir, 'helm-upgrade.pid');
    standIns.sleepOn('helm', 'upgrade', seconds, marker);
    mkdirSync(path.join(dir, 'out'));
    const run = start([...NO_TLS, '--secrets-mode', 'secret', '-o', 'out/v.yaml', '--deploy', '--repo-url', repo.url], dir, {
      ...standIns.env(),
      ...GUIDE_ENV,
      TMPDIR: tmp,
    });
    await waitForFile(marker);
    run.child.kill('SIGHUP');
    const r = await run.exited;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('cancelled: out/v.credentials.yaml, out/v.yaml were written before the interruption; nothing else was');
    expect(readdirSync(path.join(dir, 'out')).sort()).toEqual(['v.credentials.yaml', 'v.yaml']);
    expect(readdirSync(tmp)).toEqual([]);
    expect(survivorsWithArgv(['sleep', seconds])).toEqual([]);
  });
});
