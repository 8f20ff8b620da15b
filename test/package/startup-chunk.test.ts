import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

/** The part of esbuild's metafile this check reads. */
interface Metafile {
  outputs: Record<string, { imports: Array<{ path: string; kind: string; external?: boolean }>; inputs: Record<string, unknown> }>;
}

/** Loaded on the paths that need them, never while the CLI starts (--version, --help, completion). */
const HEAVY = ['zod', 'yaml', 'execa', 'zxcvbn'];

/**
 * What loading `entry` loads before any of its code runs: the entry and every chunk it imports
 * statically, transitively (dynamic imports wait for the command that needs them). Returns
 * the heavy packages found there, each with the chunk that pulls it in.
 */
function heavyAtStartup(meta: Metafile, entry: string): string[] {
  const seen = new Set<string>();
  const found: string[] = [];
  const visit = (output: string) => {
    if (seen.has(output)) return;
    seen.add(output);
    const chunk = meta.outputs[output];
    if (!chunk) throw new Error(`${output} is not among the build's outputs`);
    for (const input of Object.keys(chunk.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];
      if (pkg && HEAVY.includes(pkg)) found.push(`${pkg} (bundled into ${output} from ${input})`);
    }
    for (const i of chunk.imports) {
      if (i.kind !== 'import-statement') continue;
      const bare = i.path.replace(/^node:/, '').split('/')[0] as string;
      if (i.external) {
        if (HEAVY.includes(bare)) found.push(`${bare} (imported by ${output})`);
      } else visit(i.path);
    }
  };
  visit(entry);
  return [...new Set(found)];
}

describe('start-up stays light', () => {
  it('what bin/substra-deploy.js loads (dist/password-warm-up.cjs, dist/main.js and its static imports) holds no zod, yaml, execa or zxcvbn', () => {
    // Written by scripts/build.mjs, which `npm test` runs first.
    const meta = JSON.parse(readFileSync(path.join(ROOT, 'dist', 'meta.json'), 'utf8')) as Metafile;
    const bin = readFileSync(path.join(ROOT, 'bin', 'substra-deploy.js'), 'utf8');
    const loaded = [...bin.matchAll(/(?:require|import)\('\.\.\/(dist\/[^']+)'\)/g)].map((m) => m[1] as string);
    expect(loaded.sort()).toEqual(['dist/main.js', 'dist/password-warm-up.cjs']);
    for (const entry of loaded) expect(heavyAtStartup(meta, entry), entry).toEqual([]);
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

  it('the check sees a heavy package bundled into a static chunk, or imported from node_modules, and ignores dynamic imports', () => {
    const meta: Metafile = {
      outputs: {
        'dist/main.js': {
          imports: [
            { path: 'dist/chunk-A.js', kind: 'import-statement' },
            { path: 'dist/init-B.js', kind: 'dynamic-import' },
            { path: 'zxcvbn', kind: 'import-statement', external: true },
            { path: 'node:fs', kind: 'import-statement', external: true },
          ],
          inputs: { 'src/main.ts': {} },
        },
        'dist/chunk-A.js': { imports: [{ path: 'dist/chunk-C.js', kind: 'import-statement' }], inputs: { 'src/cli.ts': {} } },
        'dist/chunk-C.js': { imports: [], inputs: { 'node_modules/yaml/dist/index.js': {}, 'node_modules/commander/index.js': {} } },
        'dist/init-B.js': { imports: [], inputs: { 'node_modules/zod/v4/core/core.js': {}, 'node_modules/execa/index.js': {} } },
      },
    };
    expect(heavyAtStartup(meta, 'dist/main.js')).toEqual(['yaml (bundled into dist/chunk-C.js from node_modules/yaml/dist/index.js)', 'zxcvbn (imported by dist/main.js)']);
  });
});
