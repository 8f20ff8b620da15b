import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/**
 * Loads a CommonJS bundle of dist/ with the V8 code cache the build made for it (bundled as
 * dist/code-cache.cjs; bin/substra-deploy.js loads the CLI through it). Most of what the CLI
 * spends before it answers is V8 compiling its functions as they are first called; the cache,
 * made by the build after a run of the CLI's common paths (scripts/code-cache-train.cjs),
 * hands V8 those functions compiled. A cache V8 cannot use (another Node version, other V8
 * flags) is refused by V8 itself and the bundle compiles as usual: it changes the speed,
 * never what runs.
 *
 * V8 checks the cache against the source's length only, so each build stamps the bundle's
 * first line with a build id, and the cache starts with the same id: a cache from another
 * build of the same length is never used. V8 checks its own version, not Node's: Node 20
 * releases share V8 11.3.244.8 with different patches, and Node 20.11.1 took a cache made by
 * 20.20.2 and crashed (segmentation fault). The header names the Node release and machine
 * that made the cache, and any other (a package installed on another Node) compiles anew.
 */

/** The first line of a bundle the cache may serve: `// build <id>`. */
const STAMP = /^\/\/ build ([0-9a-f]{16})\n/;

/** What a cache file starts with, before V8's data: the build, and the Node release and machine it was made by. */
export function cacheHeader(buildId: string): Buffer {
  return Buffer.from(`substra-deploy code cache ${buildId} node ${process.version} ${process.versions.v8} ${process.platform}-${process.arch}\n`);
}

export function cacheFileOf(bundle: string): string {
  return `${bundle}.cache`;
}

/** The build id a bundle is stamped with, if any. */
export function buildIdOf(source: string): string | undefined {
  return STAMP.exec(source)?.[1];
}

export interface LoadedBundle {
  exports: Record<string, unknown>;
  /** V8's code cache of the bundle as it is now, with the functions compiled so far (for the build) */
  cacheNow(): Buffer | undefined;
  /** whether the build's cache was used */
  cacheUsed: boolean;
}

/**
 * Loads `bundle` as Node loads a CommonJS file (its own `require`, `module`, `__filename`),
 * from its code cache when there is one of the same build. The bundle must not import():
 * a script compiled this way has no module loader to resolve one (the CLI's bundle holds
 * everything it loads but zxcvbn, which it requires; test/package/startup-chunk.test.ts).
 */
export function loadBundle(bundle: string): LoadedBundle {
  const require = createRequire(bundle);
  const source = readFileSync(bundle, 'utf8');
  const buildId = buildIdOf(source);
  const cachedData = buildId ? readCache(cacheFileOf(bundle), cacheHeader(buildId)) : undefined;
  // The wrapper Node gives every CommonJS file.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundle,
    cachedData,
  });
  const module = { exports: {} as Record<string, unknown>, filename: bundle, id: bundle, loaded: false };
  (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, require, module, bundle, path.dirname(bundle));
  module.loaded = true;
  return {
    exports: module.exports,
    cacheNow: () => script.createCachedData(),
    cacheUsed: cachedData !== undefined && !script.cachedDataRejected,
  };
}

/** The cache's data after its header, or nothing: no file, unreadable, or another build's. */
function readCache(file: string, header: Buffer): Buffer | undefined {
  let cache: Buffer;
  try {
    cache = readFileSync(file);
  } catch {
    return undefined;
  }
  return cache.subarray(0, header.length).equals(header) ? cache.subarray(header.length) : undefined;
}
