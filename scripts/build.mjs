#!/usr/bin/env node
// Bundles src/ into dist/: the CLI as one CommonJS file with a V8 code cache, the loader that
// reads it (code-cache.cjs), the password worker, zxcvbn with its dictionaries built here, and
// the library (index.js, ESM). One file to parse instead of hundreds, compiled ahead, is most
// of what keeps start-up near bare `node` (see npm run bench).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { zxcvbnDictionaries } from './zxcvbn-dictionaries.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// An ES module `import` of a Node built-in goes through the module loader's facade, which
// resolves it per importing chunk and reads every export once, starting what lazy getters
// hold back (fs.promises loads readline, crypto.webcrypto all of WebCrypto). require() does
// neither: every built-in the bundle imports becomes a require() through the banner's require.
const builtins = new Set(builtinModules);
const builtinsByRequire = {
  name: 'builtins-by-require',
  setup(b) {
    b.onResolve({ filter: /^[a-z0-9_:/]+$/ }, ({ path: spec, kind }) => {
      const name = spec.replace(/^node:/, '');
      // A dynamic import() stays one: a module of its own would be a chunk file of its own.
      if (kind !== 'import-statement' || !builtins.has(name)) return undefined;
      return { path: name, namespace: 'builtin-by-require' };
    });
    b.onLoad({ filter: /.*/, namespace: 'builtin-by-require' }, ({ path: name }) => ({
      contents: `module.exports = require(${JSON.stringify(`node:${name}`)});`,
      loader: 'js',
    }));
  },
};
rmSync(path.join(root, 'dist'), { recursive: true, force: true });
// What starts a CommonJS bundle made of ES modules: esbuild writes it after the banner, where
// it is only a string and the bundle runs in sloppy mode (test/package/code-cache.test.ts).
const STRICT = '"use strict";\n';
/** A CommonJS bundle's own import.meta.url, which the sources (ES modules) read. */
const commonJs = {
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  define: { 'import.meta.url': '__import_meta_url' },
};
const IMPORT_META_URL = "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;";
const shared = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  // zxcvbn is bundled on its own (dist/zxcvbn.cjs, below), required where a check needs it.
  external: ['zxcvbn'],
  // yaml's ES module build (its "default" export) instead of its CommonJS one (its "node"
  // export): bundled flat, without a wrapper per file, it starts about 10 ms sooner. The two
  // differ only in !!binary (Uint8Array instead of Buffer) and in how a warning is printed.
  // @commander-js/extra-typings only types commander: its runtime is a re-export (and a spare
  // global Command built at load), so the bundle takes commander itself.
  alias: { yaml: path.join(root, 'node_modules', 'yaml', 'browser', 'index.js'), '@commander-js/extra-typings': 'commander' },
  minify: true,
  // Off: esbuild would add a __name() call per function, run at load; stack traces show minified names.
  keepNames: false,
  legalComments: 'linked',
  logLevel: 'warning',
  // What each output holds: test/package/startup-chunk.test.ts keeps heavy modules out of start-up.
  metafile: true,
};
// The CLI: one CommonJS file, which bin/substra-deploy.js loads with the V8 code cache made
// for it below (src/code-cache.ts). A module reached only by a dynamic import() (each command,
// zod, yaml, execa) is bundled in a wrapper that runs when it is first imported, so start-up
// runs no more than the command line's parser; one file and its cache load in a few
// milliseconds, where ES module chunks were each resolved, read and compiled anew.
const buildId = randomBytes(8).toString('hex');
const cli = await build({
  ...shared,
  ...commonJs,
  entryPoints: ['src/main.ts'],
  // The first line: the build id the code cache must match (src/code-cache.ts). "use strict"
  // before any statement, where it counts: the sources are ES modules, strict as tested.
  banner: { js: `// build ${buildId}\n${STRICT}${IMPORT_META_URL}` },
  outdir: 'dist',
});
// The library (package.json "exports"): an ES module, off the CLI's start-up path.
const library = await build({
  ...shared,
  entryPoints: ['src/index.ts'],
  format: 'esm',
  outdir: 'dist',
  // Bundled CommonJS dependencies (commander, yaml) call require() for Node built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  plugins: [builtinsByRequire],
});
// What bin/substra-deploy.js loads before the CLI (the code-cache loader), and the password
// worker: CommonJS, so neither pays for a module loader.
const early = await build({
  ...shared,
  ...commonJs,
  entryPoints: ['src/password-worker.ts', 'src/code-cache.ts'],
  outdir: 'dist',
  banner: { js: `${STRICT}${IMPORT_META_URL}` },
});
// zxcvbn, for the worker and for checks in the CLI's own thread (src/core/password.ts requires
// it): one file to read instead of seven, whose dictionaries are built at build time and load
// in a few milliseconds instead of about 60 (scripts/zxcvbn-dictionaries.mjs).
const zxcvbn = await build({
  absWorkingDir: root,
  stdin: {
    // matching: for test/package/zxcvbn-bundle.test.ts, which compares every match it finds.
    // commonPasswords: zxcvbn's list of common passwords, as src/core/password.ts reads it.
    contents: [
      "const passwords = require('zxcvbn/lib/frequency_lists').passwords;",
      "module.exports = { zxcvbn: require('zxcvbn'), scoring: require('zxcvbn/lib/scoring'), matching: require('zxcvbn/lib/matching'), commonPasswords: { has: (word) => passwords.rank(word) > 0 } };",
    ].join('\n'),
    resolveDir: root,
    sourcefile: 'zxcvbn-library.cjs',
    loader: 'js',
  },
  outfile: 'dist/zxcvbn.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: true,
  // The first line: the build id its code cache must match (src/code-cache.ts).
  banner: { js: `// build ${buildId}\n/*! zxcvbn 4.4.2 (lib/matching.js and lib/frequency_lists.js changed at build time: scripts/zxcvbn-dictionaries.mjs)\n${readFileSync(path.join(root, 'node_modules', 'zxcvbn', 'LICENSE.txt'), 'utf8')}*/` },
  logLevel: 'warning',
  metafile: true,
  plugins: [zxcvbnDictionaries],
});
const builds = [cli.metafile, library.metafile, early.metafile, zxcvbn.metafile];
writeFileSync(
  path.join(root, 'dist', 'meta.json'),
  JSON.stringify({ inputs: Object.assign({}, ...builds.map((m) => m.inputs)), outputs: Object.assign({}, ...builds.map((m) => m.outputs)) }),
);

// The code caches of the CLI and of zxcvbn, made by running their common paths in a fresh
// process (as bin/ and the password worker run them).
// Without NODE_OPTIONS: V8 refuses a cache made under other flags (--max-old-space-size, often
// set in CI), so a build under them made caches no plain `node` used, silently.
const { NODE_OPTIONS: _flags, ...plainEnv } = process.env;
// A minute at most: it takes about a second, and a build must not hang on it.
const trained = spawnSync(process.execPath, [path.join(root, 'scripts', 'code-cache-train.cjs')], { cwd: root, env: plainEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
if (trained.status !== 0) throw new Error(`making the code cache failed${trained.error ? ` (${trained.error.message})` : ''}:\n${trained.stdout}${trained.stderr}`);
