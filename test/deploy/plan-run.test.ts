import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { shellQuote } from '../../src/core/command-line.js';
import { makeCertificates } from '../helpers/certs.js';
import { serveChartRepository, sharedChartRepository } from '../helpers/chart-repo.js';
import { GUIDE_ENV, GUIDE_FLAGS, tempDir } from '../helpers/cli.js';
import { guideBackendFiles, runMain, scriptedPrompter } from '../helpers/in-process.js';
import { StandIns, type Call, type StandInRule } from '../helpers/standins.js';

/**
 * The plan deploy prints (with --dry-run, or before asking) is the plan it runs: the same
 * commands, in the same order, with the same arguments. Checked by comparing the printed
 * lines with what the (stand-in) helm and kubectl were really called with.
 */
let repo: { url: string; close: () => Promise<void> };
let certs: ReturnType<typeof makeCertificates>;
let standIns: StandIns;
let work: string;

beforeAll(async () => {
  // Older than the newest chart this tool knows (26.15.3), and before 26.12.0: no account
  // deletion on upgrade, so no "what is deployed now" step.
  repo = await serveChartRepository(['26.11.0']);
  certs = makeCertificates();
});
afterAll(() => repo.close());

beforeEach(async () => {
  standIns = new StandIns();
  work = tempDir();
  expect((await runMain(GUIDE_FLAGS, { cwd: work, env: { ...standIns.env(), ...GUIDE_ENV } })).code).toBe(0);
  standIns.clearCalls();
});

const base = () => ['deploy', '--values', 'backend-values.yaml', '--repo-url', repo.url, '--namespace', 'substra', '--client-cert', certs.cert, '--client-key', certs.key];

/** A printed line as the commands it runs: the pipe split, the `# only if` comment dropped, the private folder's random part hidden. */
const commandsOf = (line: string) =>
  line
    .replace(/^\$ /, '')
    .replace(/ {2}# .*$/, '')
    .split(' | ')
    .map(hideFolder);
const hideFolder = (text: string) => text.replace(/substra-deploy-[A-Za-z0-9]{6}/g, 'substra-deploy-XXXXXX');
const ran = (calls: Call[]) => calls.map((c) => hideFolder([c.bin, ...c.argv].map(shellQuote).join(' ')));

describe('the printed plan is the executed plan', () => {
  it('a real run calls exactly the commands --dry-run printed for the same version, in order', async () => {
    const printed = await runMain([...base(), '--orchestrator-ca-cert', certs.ca, '--chart-version', '26.11.0', '--dry-run'], { cwd: work, env: standIns.env() });
    expect(printed.code, printed.stderr).toBe(0);
    expect(standIns.calls()).toEqual([]);
    const r = await runMain([...base(), '--orchestrator-ca-cert', certs.ca, '--chart-version', '26.11.0'], { cwd: work, env: standIns.env() });
    expect(r.code, r.stderr).toBe(0);
    expect(ran(standIns.calls())).toEqual(printed.stdout.trimEnd().split('\n').flatMap(commandsOf));
  });

  it('asks before anything runs, and again with the new steps when the repository has another version than the one shown', async () => {
    const shown: string[][] = [];
    const lines: string[] = [];
    const prompter = scriptedPrompter([
      ['Run them now?', () => (shown.push(lines.splice(0)), standIns.calls().length === 0)],
      ['Run them now?', () => (shown.push(lines.splice(0)), true)],
    ]);
    const r = await runMain([...base(), '--orchestrator-ca-cert', certs.ca], { cwd: work, env: standIns.env(), prompter, tty: true, onStderr: (text) => lines.push(...text.split('\n')) });
    expect(r.code, r.stderr).toBe(0);
    expect(prompter.asked).toEqual(['Run them now?', 'Run them now?']);
    const [first = [], second = []] = shown.map((block) => block.filter((l) => l.trim().startsWith('$ ')).map((l) => l.trim()));
    // First: everything, for the newest chart this tool knows (26.15.3 reads the accounts deployed).
    expect(first.join('\n')).toContain('--version 26.15.3');
    expect(first.some((l) => l.startsWith('$ helm get values'))).toBe(true);
    // Then, after the search found 26.11.0: the steps left, which are what ran after it.
    expect(second.some((l) => l.startsWith('$ helm get values'))).toBe(false);
    const afterSearch = ran(standIns.calls()).slice(ran(standIns.calls()).findIndex((c) => c.startsWith('helm search')) + 1);
    expect(afterSearch).toEqual(second.flatMap(commandsOf));
    expect(r.stderr).toContain('release backend runs substra/substra-backend 26.11.0');
  });

  it('a declined plan runs nothing at all', async () => {
    const prompter = scriptedPrompter([['Run them now?', false]]);
    const r = await runMain([...base(), '--orchestrator-ca-cert', certs.ca], { cwd: work, env: standIns.env(), prompter, tty: true });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('nothing was run; later: substra-deploy deploy --values backend-values.yaml');
    expect(standIns.calls()).toEqual([]);
  });
});

describe('steps that run only if an earlier answer says so', () => {
  const secretThere: StandInRule[] = [];
  const secretMissing: StandInRule[] = [{ bin: 'kubectl', match: 'get secret orchestrator-cacert', exit: 1, stderr: 'Error from server (NotFound): secrets "orchestrator-cacert" not found\n' }];

  it('prints the CA conversion with its condition, and skips it (no ConfigMap read, nothing applied) when the Secret is there', async () => {
    const printed = await runMain([...base(), '--chart-version', '26.11.0', '--dry-run', '--json'], { cwd: work, env: standIns.env() });
    const doc = JSON.parse(printed.stdout) as { steps: Array<{ id: string; line: string; when?: string }> };
    const conditional = doc.steps.filter((s) => s.when);
    expect(conditional.map((s) => s.id)).toEqual(['ca-configmap', 'ca']);
    // The JSON line is the command alone (a program running it must read `when`); people get the condition as a comment.
    for (const step of conditional) expect(step.when).toBe('only if secret orchestrator-cacert is missing');
    expect(conditional.every((s) => !s.line.includes('#'))).toBe(true);
    const human = await runMain([...base(), '--chart-version', '26.11.0', '--dry-run'], { cwd: work, env: standIns.env() });
    expect(human.stdout.split('\n').filter((l) => l.includes('  # only if secret orchestrator-cacert is missing'))).toHaveLength(2);

    const r = await runMain([...base(), '--chart-version', '26.11.0', '--json'], { cwd: work, env: standIns.env(secretThere) });
    expect(r.code, r.stderr).toBe(0);
    const run = JSON.parse(r.stdout) as { steps: Array<{ id: string; status: string }> };
    expect(run.steps.filter((s) => s.status === 'skipped').map((s) => s.id)).toEqual(['ca-configmap', 'ca']);
    expect(standIns.calls().some((c) => c.argv.includes('configmap') || c.argv.includes('orchestrator-cacert') && c.argv[0] === 'create')).toBe(false);
  });

  it('runs them when the Secret is missing, and stops naming the fix when no ConfigMap holds the CA', async () => {
    const r = await runMain([...base(), '--chart-version', '26.11.0', '--json'], { cwd: work, env: standIns.env(secretMissing) });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { steps: Array<{ id: string; status: string }> };
    expect(doc.steps.find((s) => s.id === 'ca-configmap')?.status).toBe('done');
    expect(r.stderr).toContain('no ConfigMap of that name holds a ca.crt to convert');
    expect(standIns.calls().some((c) => c.argv[0] === 'apply' || c.argv[0] === 'upgrade')).toBe(false);
  });
});

/**
 * Replaces the stand-in helm by a wrapper that, on every call, lists the files then in this
 * run's private folders (substra-deploy-* under the temporary folder), one line per file.
 */
function listPrivateFilesOnHelm(standIns: StandIns): () => string[][] {
  const inner = path.join(standIns.bin, 'helm-inner');
  const log = path.join(standIns.dir, 'private-files.log');
  renameSync(path.join(standIns.bin, 'helm'), inner);
  writeFileSync(
    path.join(standIns.bin, 'helm'),
    `#!/bin/sh\n{ for f in ${tmpdir()}/substra-deploy-*/*; do [ -e "$f" ] && echo "$f"; done; echo "-- $*"; } >> ${JSON.stringify(log)}\nexec ${JSON.stringify(inner)} "$@"\n`,
  );
  chmodSync(path.join(standIns.bin, 'helm'), 0o755);
  writeFileSync(log, '');
  // One list per helm call, the files there while it ran.
  return () => {
    const calls: string[][] = [[]];
    for (const line of readFileSync(log, 'utf8').split('\n').filter(Boolean)) {
      if (line.startsWith('-- ')) calls.push([]);
      else (calls[calls.length - 1] as string[]).push(line);
    }
    return calls.slice(0, -1);
  };
}

describe('secrets in private files, for as long as the step reading them runs', () => {
  const shared = sharedChartRepository();
  let secretsModeFiles: () => string;
  beforeAll(async () => {
    secretsModeFiles = await guideBackendFiles(['--secrets-mode', 'secret']);
  });

  it('the account files are gone before helm renders and installs, and a --diff never writes them', async () => {
    for (const extra of [[], ['--diff']]) {
      const dir = secretsModeFiles();
      const s = new StandIns();
      const seen = listPrivateFilesOnHelm(s);
      const r = await runMain(['deploy', '--values', 'backend-values.yaml', '--repo-url', shared.url, '--orchestrator-ca-cert', certs.ca, '--client-cert', certs.cert, '--client-key', certs.key, ...extra], { cwd: dir, env: s.env() });
      expect(r.code, r.stderr).toBe(0);
      const accounts = s.calls().find((c) => c.argv.join(' ').startsWith('create secret generic backend-accounts'));
      expect(Boolean(accounts), `accounts step ${extra.join(' ')}`).toBe(extra.length === 0);
      // Every helm call (render, install, and the reads before them) ran with no account file on disk.
      const accountFiles = seen().flat().filter((f) => /\/(users|incoming_organizations|outgoing_organizations)$/.test(f));
      expect(accountFiles, extra.join(' ')).toEqual([]);
    }
  });

  it('an upgrade that switches to secrets mode reads the accounts the release still holds in its values, and stops before dropping one', async () => {
    const dir = secretsModeFiles();
    const s = new StandIns();
    const deployedValues = JSON.stringify({ addAccountOperator: { users: [{ name: 'admin', secret: 'x', channel: 'our-channel' }, { name: 'bob', secret: 'y', channel: 'our-channel' }] } });
    const r = await runMain(['deploy', '--values', 'backend-values.yaml', '--repo-url', shared.url, '--orchestrator-ca-cert', certs.ca, '--client-cert', certs.cert, '--client-key', certs.key], {
      cwd: dir,
      // The Secret is not there yet (the stand-in answers NotFound): the accounts are in the release's values.
      env: s.env([{ bin: 'helm', match: 'get values backend --all -o json', exit: 0, stdout: deployedValues }]),
    });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('stopped before changing anything: the upgrade deletes user "bob" from the backend');
    expect(s.calls().some((c) => c.argv[0] === 'apply' || c.argv[0] === 'upgrade')).toBe(false);
  });

  it('an upgrade leaving secrets mode stops when the release reads its accounts from a Secret this run does not read', async () => {
    const dir = tempDir();
    expect((await runMain(GUIDE_FLAGS, { cwd: dir, env: { ...new StandIns().env(), ...GUIDE_ENV } })).code).toBe(0);
    const s = new StandIns();
    const r = await runMain(['deploy', '--values', 'backend-values.yaml', '--repo-url', shared.url, '--orchestrator-ca-cert', certs.ca, '--client-cert', certs.cert, '--client-key', certs.key], {
      cwd: dir,
      env: s.env([{ bin: 'helm', match: 'get values backend --all -o json', exit: 0, stdout: JSON.stringify({ addAccountOperator: { existingSecret: 'old-accounts', users: [] } }) }]),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the release reads its accounts from Secret old-accounts');
    expect(s.calls().some((c) => c.argv[0] === 'apply' || c.argv[0] === 'upgrade')).toBe(false);
  });
});

describe('what a run without a terminal says of the steps it runs', () => {
  it('when the repository has another version than the one assumed, shows its steps and records every line run', async () => {
    const r = await runMain([...base(), '--orchestrator-ca-cert', certs.ca, '--json'], { cwd: work, env: standIns.env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("The repository's newest chart is 26.11.0, not 26.15.3: deploying it takes these steps:");
    const doc = JSON.parse(r.stdout) as { chartVersion: string; steps: Array<{ line: string }> };
    expect(doc.chartVersion).toBe('26.11.0');
    expect(doc.steps.map((step) => hideFolder(step.line))).toEqual(ran(standIns.calls()).reduce<string[]>((lines, call) => {
      // A piped step is one line for two calls.
      const last = lines[lines.length - 1];
      if (last && call.startsWith('kubectl apply') && last.includes('--dry-run=client -o yaml')) lines[lines.length - 1] = `${last} | ${call}`;
      else lines.push(call);
      return lines;
    }, []));
  });

  it('a dry run says when its chart version is assumed', async () => {
    const assumed = JSON.parse((await runMain([...base(), '--dry-run', '--json'], { cwd: work, env: standIns.env() })).stdout) as { chartVersionAssumed: boolean };
    const pinned = JSON.parse((await runMain([...base(), '--dry-run', '--json', '--chart-version', '26.11.0'], { cwd: work, env: standIns.env() })).stdout) as { chartVersionAssumed: boolean };
    expect([assumed.chartVersionAssumed, pinned.chartVersionAssumed]).toEqual([true, false]);
  });

  it('in a terminal, --diff shows its steps before any runs and asks nothing (it changes nothing in the cluster)', async () => {
    let callsWhenShown = -1;
    const r = await runMain([...base(), '--orchestrator-ca-cert', certs.ca, '--diff', '--chart-version', '26.11.0'], {
      cwd: work,
      env: standIns.env(),
      prompter: scriptedPrompter([]),
      tty: true,
      onStderr: (text) => {
        if (text.includes('takes these steps:') && callsWhenShown < 0) callsWhenShown = standIns.calls().length;
      },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Comparing with chart 26.11.0 takes these steps:');
    expect(callsWhenShown).toBe(0);
  });
});
