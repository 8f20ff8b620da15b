import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers/cli.js';

/** The published package, as `npm pack` makes it from the built tree. */
describe('the npm package', () => {
  it('holds only what runs, and `npx <tarball> --help` works in an empty folder', () => {
    const out = tempDir('pack-');
    // dist/ is built by `npm test` before the tests run; do not build again here.
    const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', out], { cwd: ROOT, encoding: 'utf8' });
    expect(pack.status, pack.stderr).toBe(0);
    const [info] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const files = info!.files.map((f) => f.path);
    expect(files.every((f) => /^(bin\/|dist\/|package\.json$|README\.md$)/.test(f)), files.join(', ')).toBe(true);
    expect(files).toContain('bin/substra-deploy.js');
    expect(files).toContain('dist/main.js');
    expect(files).toContain('dist/password-worker.js');

    const empty = tempDir('empty-');
    const tarball = path.join(out, info!.filename);
    const run = spawnSync('npx', ['--yes', `--package=${tarball}`, '--', 'substra-deploy', '--help'], {
      cwd: empty,
      encoding: 'utf8',
      env: { ...process.env, npm_config_update_notifier: 'false', CI: 'true' },
      timeout: 170_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('Usage: substra-deploy [options] [command]');
    expect(readdirSync(empty)).toEqual([]);
  }, 180_000);
});
