import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { inject } from 'vitest';
import { FIXTURE_CHART, TOOLS, tempDir } from './cli.js';

/** The versions of the fixture chart in the shared repository: a 25.x and the newest. */
export const CHART_VERSIONS = ['25.3.0', '26.15.3'];

/**
 * The repository the global setup serves for the whole run (test/helpers/global-setup.ts),
 * with CHART_VERSIONS. Only the test files that need other versions serve their own.
 */
export function sharedChartRepository(): { url: string } {
  return { url: inject('chartRepoUrl') };
}

/**
 * A real chart repository on 127.0.0.1: the fixture chart packaged by the real helm at the
 * given versions, indexed by `helm repo index`, served over HTTP.
 */
export async function serveChartRepository(versions: string[]): Promise<{ url: string; close: () => Promise<void> }> {
  const dir = path.join(tempDir('chart-repo-'), 'repo');
  mkdirSync(dir);
  const helm = path.join(TOOLS, 'helm');
  const home = tempDir('helm-home-');
  const env = { ...process.env, HELM_CONFIG_HOME: home, HELM_CACHE_HOME: home, HELM_DATA_HOME: home };
  for (const version of versions) {
    const r = spawnSync(helm, ['package', FIXTURE_CHART, '--version', version, '--destination', dir], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`helm package failed: ${r.stderr}`);
  }
  const server: Server = createServer((req, res) => {
    const file = path.join(dir, path.basename(decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/')));
    if (!existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200);
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const index = spawnSync(helm, ['repo', 'index', dir, '--url', url], { env, encoding: 'utf8' });
  if (index.status !== 0) throw new Error(`helm repo index failed: ${index.stderr}`);
  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
