import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers/cli.js';

/** The part of esbuild's metafile this check reads. */
interface Metafile {
  inputs: Record<string, { imports: Array<{ path: string; kind: string; external?: boolean }> }>;
  outputs: Record<string, { imports: Array<{ path: string; kind: string; external?: boolean }>; inputs: Record<string, unknown> }>;
}

/** Loaded on the paths that need them, never while the CLI starts (--version, --help, completion). */
const HEAVY = ['zod', 'yaml', 'execa', 'zxcvbn', '@inquirer/core'];

const packageOf = (input: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];

/**
 * What loading the CLI's bundle runs before any command does: its entry and every module the
 * entry imports statically, transitively. esbuild bundles a module reached only through an
 * import() in a wrapper that runs when a command first imports it (a require() counts as
 * static: it may run at once). Returns the heavy packages found there, each with the module
 * that brings it in.
 */
function heavyAtStartup(meta: Metafile, entry: string): string[] {
  const seen = new Set<string>();
  const found: string[] = [];
  const visit = (input: string, from: string) => {
    if (seen.has(input)) return;
    seen.add(input);
    const pkg = packageOf(input);
    if (pkg && HEAVY.includes(pkg)) found.push(`${pkg} (${input}, imported by ${from})`);
    const module = meta.inputs[input];
    if (!module) throw new Error(`${input} is not among the build's inputs`);
    for (const i of module.imports) {
      if (i.kind === 'dynamic-import') continue;
      if (!i.external) visit(i.path, input);
      else if (HEAVY.includes(i.path)) found.push(`${i.path} (imported by ${input})`);
    }
  };
  visit(entry, 'bin/substra-deploy.js');
  return [...new Set(found)];
}

const builtMeta = () => JSON.parse(readFileSync(path.join(ROOT, 'dist', 'meta.json'), 'utf8')) as Metafile;

describe('start-up stays light', () => {
  it('what bin/substra-deploy.js loads (dist/code-cache.cjs, and dist/main.cjs up to its first command) runs no zod, yaml, execa, zxcvbn or inquirer', () => {
    // Written by scripts/build.mjs, which `npm test` runs first.
    const meta = builtMeta();
    const bin = readFileSync(path.join(ROOT, 'bin', 'substra-deploy.js'), 'utf8');
    const loaded = [...bin.matchAll(/(?:require|import)\('\.\.\/(dist\/[^']+)'\)|'(main\.cjs)'/g)].map((m) => m[1] ?? `dist/${m[2]}`);
    expect(loaded.sort()).toEqual(['dist/code-cache.cjs', 'dist/main.cjs']);
    const entries = Object.fromEntries(loaded.map((output) => [output, Object.keys(meta.outputs).includes(output) ? (meta.outputs[output] as { entryPoint?: string }).entryPoint : undefined]));
    expect(entries).toEqual({ 'dist/code-cache.cjs': 'src/code-cache.ts', 'dist/main.cjs': 'src/main.ts' });
    for (const entry of Object.values(entries)) expect(heavyAtStartup(meta, entry as string), entry).toEqual([]);
  });

  it('--help and --version read no zxcvbn: it is loaded by createRequire() and src/code-cache.ts, which the metafile does not see', () => {
    // Run before the CLI: names every file read by readFileSync, as the loader reads zxcvbn's bundle.
    const spy = path.join(tempDir('startup-'), 'reads.cjs');
    writeFileSync(
      spy,
      `const fs = require('node:fs'); const read = fs.readFileSync;
fs.readFileSync = function (file, ...rest) { if (/zxcvbn/.test(String(file))) process.stderr.write('read ' + file + '\\n'); return read.call(this, file, ...rest); };`,
    );
    for (const argv of [['--help'], ['init', '--help'], ['--version']]) {
      const r = spawnSync(process.execPath, ['--require', spy, path.join(ROOT, 'bin', 'substra-deploy.js'), ...argv], { encoding: 'utf8', env: { PATH: process.env.PATH, CI: 'true' } });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr, argv.join(' ')).toBe('');
    }
  });

  it("the CLI's bundle has no import() left: the code-cached script it runs as has no module loader to resolve one", () => {
    const dynamic = builtMeta().outputs['dist/main.cjs']?.imports.filter((i) => i.kind === 'dynamic-import');
    expect(dynamic).toEqual([]);
  });

  it('no output bundles @commander-js/extra-typings: it only types commander, and its runtime would build a spare Command at start-up', () => {
    const meta = JSON.parse(readFileSync(path.join(ROOT, 'dist', 'meta.json'), 'utf8')) as Metafile;
    const bundled = Object.entries(meta.outputs).flatMap(([output, chunk]) =>
      Object.keys(chunk.inputs).filter((input) => input.includes('@commander-js/extra-typings')).map((input) => `${input} in ${output}`),
    );
    expect(bundled).toEqual([]);
  });

  it('no output imports a Node built-in as an ES module: the loader resolves such an import per chunk and reads every export, which starts what lazy getters hold back', () => {
    const meta = JSON.parse(readFileSync(path.join(ROOT, 'dist', 'meta.json'), 'utf8')) as Metafile;
    const imported = Object.entries(meta.outputs).flatMap(([output, chunk]) =>
      chunk.imports.filter((i) => i.external && i.kind === 'import-statement' && builtinModules.includes(i.path.replace(/^node:/, ''))).map((i) => `${i.path} in ${output}`),
    );
    expect(imported).toEqual([]);
  });

  it('the check sees a heavy package imported statically, at any depth, from node_modules or bundled, and ignores those behind an import()', () => {
    const meta: Metafile = {
      outputs: {},
      inputs: {
        'src/main.ts': {
          imports: [
            { path: 'src/cli.ts', kind: 'import-statement' },
            { path: 'src/commands/init.ts', kind: 'dynamic-import' },
            { path: 'zxcvbn', kind: 'require-call', external: true },
            { path: 'node:fs', kind: 'require-call', external: true },
          ],
        },
        'src/cli.ts': { imports: [{ path: 'node_modules/yaml/browser/index.js', kind: 'import-statement' }, { path: 'node_modules/commander/index.js', kind: 'import-statement' }] },
        'node_modules/yaml/browser/index.js': { imports: [] },
        'node_modules/commander/index.js': { imports: [] },
        'src/commands/init.ts': { imports: [{ path: 'node_modules/zod/v4/core/core.js', kind: 'import-statement' }, { path: 'node_modules/execa/index.js', kind: 'import-statement' }] },
        'node_modules/zod/v4/core/core.js': { imports: [] },
        'node_modules/execa/index.js': { imports: [] },
      },
    };
    expect(heavyAtStartup(meta, 'src/main.ts')).toEqual(['yaml (node_modules/yaml/browser/index.js, imported by src/cli.ts)', 'zxcvbn (imported by src/main.ts)']);
  });
});
