import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers/cli.js';

const DIST = path.join(ROOT, 'dist');

/**
 * Loads `bundle` through dist/code-cache.cjs in a fresh node (as bin/ does: the V8 flags
 * of this test process are not those of a CLI run) and says whether the cache was used.
 */
function load(bundle: string, before = ''): { cacheUsed: boolean; exports: string[] } {
  const script = `${before}
const b = require(${JSON.stringify(path.join(DIST, 'code-cache.cjs'))}).loadBundle(${JSON.stringify(bundle)});
process.stdout.write(JSON.stringify({ cacheUsed: b.cacheUsed, exports: Object.keys(b.exports).sort() }));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { cacheUsed: boolean; exports: string[] };
}

/** A bundle of dist/ and its cache copied to a folder of their own, to be spoiled there. */
function copyOfBuild(name = 'main.cjs'): { bundle: string; cache: string } {
  const dir = tempDir('code-cache-');
  const bundle = path.join(dir, name);
  copyFileSync(path.join(DIST, name), bundle);
  copyFileSync(path.join(DIST, `${name}.cache`), `${bundle}.cache`);
  return { bundle, cache: `${bundle}.cache` };
}

describe("the code caches of the CLI and of zxcvbn (dist/main.cjs.cache, dist/zxcvbn.cjs.cache, made by the build)", () => {
  it('are used by this node: the build made each for the bundle beside it', () => {
    expect(load(path.join(DIST, 'main.cjs'))).toEqual({ cacheUsed: true, exports: ['main', 'run'] });
    expect(load(path.join(DIST, 'zxcvbn.cjs'))).toEqual({ cacheUsed: true, exports: ['commonPasswords', 'matching', 'scoring', 'zxcvbn'] });
  });

  it("zxcvbn, loaded from its cache, scores as loaded without it", () => {
    const { bundle } = copyOfBuild('zxcvbn.cjs');
    const score = (file: string) => {
      const script = `const b = require(${JSON.stringify(path.join(DIST, 'code-cache.cjs'))}).loadBundle(${JSON.stringify(file)});
b.exports.scoring.REFERENCE_YEAR = 2017;
const pw = ['correct-Horse-battery-staple-42', 'Tr0ub4dor&3', '31.12.1990manchester', 'ingen-admin-2024', 'Xk9#mQ2$vL7!'];
process.stdout.write(JSON.stringify({ cacheUsed: b.cacheUsed, results: pw.map((p) => { const r = b.exports.zxcvbn(p, ['admin']); delete r.calc_time; return r; }) }));`;
      const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { cacheUsed: boolean; results: unknown[] };
    };
    const cached = score(path.join(DIST, 'zxcvbn.cjs'));
    writeFileSync(`${bundle}.cache`, '');
    const compiled = score(bundle);
    expect([cached.cacheUsed, compiled.cacheUsed]).toEqual([true, false]);
    expect(cached.results).toEqual(compiled.results);
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

  it("is not used by another Node release, even of the same V8 version (V8 checks only its own version: Node 20.11.1 took 20.20.2's cache and crashed)", () => {
    // Both Node releases report V8 11.3.244.8; V8 took the cache and died in a segmentation fault.
    const otherNode = (version: string) => `Object.defineProperty(process, 'version', { value: ${JSON.stringify(version)} });`;
    expect(load(path.join(DIST, 'main.cjs'), otherNode(process.version))).toEqual({ cacheUsed: true, exports: ['main', 'run'] });
    expect(load(path.join(DIST, 'main.cjs'), otherNode('v20.11.1'))).toEqual({ cacheUsed: false, exports: ['main', 'run'] });
    expect(load(path.join(DIST, 'zxcvbn.cjs'), otherNode('v20.11.1'))).toEqual({ cacheUsed: false, exports: ['commonPasswords', 'matching', 'scoring', 'zxcvbn'] });
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

  it('the CLI, its password worker and the loader run in strict mode, as their ES module sources do when tested: a line before "use strict" makes it a plain string', () => {
    for (const name of ['main.cjs', 'password-worker.cjs', 'code-cache.cjs']) {
      const source = readFileSync(path.join(DIST, name), 'utf8');
      // Compiled as Node wraps a CommonJS file, not run: a strict function refuses to show its caller.
      const wrapper = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`).runInThisContext() as () => void;
      expect(() => wrapper.caller, name).toThrow(TypeError);
    }
  });

  it('bin/ runs the CLI from it: answers as before, with nothing on stderr', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'substra-deploy.js'), '--help'], { encoding: 'utf8', env: { PATH: process.env.PATH, CI: 'true' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Usage: substra-deploy [options] [command]');
    expect(r.stderr).toBe('');
  });
});
