import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { shellQuote } from '../../src/core/command-line.js';
import { makeCertificates } from '../helpers/certs.js';
import { serveChartRepository } from '../helpers/chart-repo.js';
import { GUIDE_ENV, GUIDE_FLAGS, tempDir } from '../helpers/cli.js';
import { runMain, scriptedPrompter } from '../helpers/in-process.js';
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
