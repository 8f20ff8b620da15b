import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers/cli.js';

const DIST = path.join(ROOT, 'dist');

/**
 * Loads `bundle` through dist/code-cache.cjs in a fresh node (as bin/ does: the V8 flags
 * of this test process are not those of a CLI run) and says whether the cache was used.
 */
function load(bundle: string): { cacheUsed: boolean; exports: string[] } {
  const script = `const b = require(${JSON.stringify(path.join(DIST, 'code-cache.cjs'))}).loadBundle(${JSON.stringify(bundle)});
process.stdout.write(JSON.stringify({ cacheUsed: b.cacheUsed, exports: Object.keys(b.exports).sort() }));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { cacheUsed: boolean; exports: string[] };
}

/** dist/main.cjs and its cache copied to a folder of their own, to be spoiled there. */
function copyOfBuild(): { bundle: string; cache: string } {
  const dir = tempDir('code-cache-');
  const bundle = path.join(dir, 'main.cjs');
  copyFileSync(path.join(DIST, 'main.cjs'), bundle);
  copyFileSync(path.join(DIST, 'main.cjs.cache'), `${bundle}.cache`);
  return { bundle, cache: `${bundle}.cache` };
}

describe("the CLI's code cache (dist/main.cjs.cache, made by the build)", () => {
  it('is used by this node: the build made it for the bundle beside it', () => {
    expect(load(path.join(DIST, 'main.cjs'))).toEqual({ cacheUsed: true, exports: ['main', 'run'] });
  });

  it("is not used for another build's bundle of the same length (V8 itself checks only the length), and the bundle still loads", () => {
    const { bundle } = copyOfBuild();
    const source = readFileSync(bundle, 'utf8');
    const [, id] = /^\/\/ build ([0-9a-f]{16})\n/.exec(source) ?? [];
    expect(id).toBeDefined();
    const other = (id as string).replace(/./g, (c) => (c === '0' ? '1' : '0'));
    writeFileSync(bundle, source.replace(id as string, other));
    expect(readFileSync(bundle).length).toBe(Buffer.byteLength(source));
    expect(load(bundle)).toEqual({ cacheUsed: false, exports: ['main', 'run'] });
  });

  it('a cache V8 refuses (its data damaged) or one that is missing changes nothing but the speed', () => {
    const { bundle, cache } = copyOfBuild();
    const data = readFileSync(cache);
    // The header stays; V8's own data is cut short.
    writeFileSync(cache, data.subarray(0, Math.floor(data.length / 3)));
    expect(load(bundle)).toEqual({ cacheUsed: false, exports: ['main', 'run'] });
    writeFileSync(cache, '');
    expect(load(bundle)).toEqual({ cacheUsed: false, exports: ['main', 'run'] });
  });

  it('bin/ runs the CLI from it: answers as before, with nothing on stderr', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'substra-deploy.js'), '--help'], { encoding: 'utf8', env: { PATH: process.env.PATH, CI: 'true' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Usage: substra-deploy [options] [command]');
    expect(r.stderr).toBe('');
  });
});
