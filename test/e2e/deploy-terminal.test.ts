import { afterEach, describe, expect, it } from 'vitest';
import { makeCertificates } from '../helpers/certs.js';
import { sharedChartRepository } from '../helpers/chart-repo.js';
import { GUIDE_ENV, GUIDE_FLAGS, tempDir } from '../helpers/cli.js';
import { runMain } from '../helpers/in-process.js';
import { KEY, Terminal } from '../helpers/pty.js';
import { StandIns } from '../helpers/standins.js';

const repo = sharedChartRepository();
let terminal: Terminal | undefined;
afterEach(() => terminal?.kill());

describe('deploy in a real terminal', () => {
  it('shows every step before any runs, asks, then runs each step behind a spinner', async () => {
    const dir = tempDir();
    const standIns = new StandIns();
    const certs = makeCertificates();
    expect((await runMain(GUIDE_FLAGS, { cwd: dir, env: { ...standIns.env(), ...GUIDE_ENV } })).code).toBe(0);
    const t = (terminal = new Terminal(
      ['deploy', '--values', 'backend-values.yaml', '--repo-url', repo.url, '--orchestrator-ca-cert', certs.ca, '--client-cert', certs.cert, '--client-key', certs.key],
      dir,
      standIns.env(),
    ));
    await t.waitFor('Deploying chart 26.15.3 (the newest this tool knows');
    await t.waitFor('takes these steps:');
    await t.waitFor('$ helm repo add substra');
    await t.waitFor('$ helm upgrade --install backend substra/substra-backend --version 26.15.3');
    await t.answer('Run them now?', KEY.enter);
    await t.waitFor('release backend runs substra/substra-backend 26.15.3', 30_000);
    expect(await t.exited).toBe(0);
    // yocto-spinner draws braille frames while a step runs, then a check mark.
    expect(t.text).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
    expect(t.text).toContain('✔ Install or upgrade release backend');
    for (const secret of Object.values(GUIDE_ENV)) expect(t.text).not.toContain(secret);
  });
});
