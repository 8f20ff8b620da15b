import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers/cli.js';

/** Every file the tarball holds (dist/meta.json, the build's own record, stays out). */
const EXPECTED_FILES = [
  'README.md',
  'bin/package.json',
  'bin/substra-deploy.js',
  'dist/code-cache.cjs',
  'dist/index.js',
  'dist/main.cjs',
  'dist/main.cjs.cache',
  'dist/password-worker.cjs',
  'dist/types/core/answers.d.ts',
  'dist/types/core/chart.d.ts',
  'dist/types/core/compatibility.d.ts',
  'dist/types/core/errors.d.ts',
  'dist/types/core/generate.d.ts',
  'dist/types/core/hosts.d.ts',
  'dist/types/core/json-schema.d.ts',
  'dist/types/core/link.d.ts',
  'dist/types/core/orchestrator.d.ts',
  'dist/types/core/password.d.ts',
  'dist/types/core/questions.d.ts',
  'dist/types/core/rules.d.ts',
  'dist/types/core/schema.d.ts',
  'dist/types/core/validate.d.ts',
  'dist/types/core/values-shape.d.ts',
  'dist/types/index.d.ts',
  'dist/zxcvbn.cjs',
  'dist/zxcvbn.cjs.cache',
  'package.json',
];

/** The published package, as `npm pack` makes it from the built tree. */
describe('the npm package', () => {
  it('holds exactly the files that run, and `npx <tarball> --help` works in an empty folder', () => {
    const out = tempDir('pack-');
    // dist/ is built by `npm test` before the tests run; do not build again here.
    const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', out], { cwd: ROOT, encoding: 'utf8' });
    expect(pack.status, pack.stderr).toBe(0);
    const [info] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const files = info!.files.map((f) => f.path).sort();
    expect(files).toEqual(EXPECTED_FILES);
    // Every file the build says it wrote is in it.
    const built = Object.keys((JSON.parse(readFileSync(path.join(ROOT, 'dist', 'meta.json'), 'utf8')) as { outputs: object }).outputs);
    expect(files.filter((f) => /^dist\/[^/]+\.c?js$/.test(f))).toEqual(built.sort());
    // No dependency to install: everything the CLI runs is in dist/.
    expect(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).dependencies).toBeUndefined();

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
