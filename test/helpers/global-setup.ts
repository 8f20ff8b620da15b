import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { CHART_VERSIONS, serveChartRepository } from './chart-repo.js';
import { TEST_TMPDIR_VARIABLE, tempDir } from './cli.js';
import { KEY_FILES } from './certs.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** the chart repository every test file deploys from, served on 127.0.0.1 */
    chartRepoUrl: string;
    /** a folder of RSA keys made once for the run (see makeCertificates) */
    testKeysDir: string;
  }
}

/**
 * Once per run, not once per file: packaging the chart and making RSA keys cost more than
 * most tests that use them, and no test changes either.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Every temporary folder of the run in one, removed at its end: a run makes hundreds, and
  // /tmp kept them all.
  const runDir = mkdtempSync(path.join(tmpdir(), 'substra-deploy-tests-'));
  process.env[TEST_TMPDIR_VARIABLE] = runDir;
  const keysDir = tempDir('test-keys-');
  const [repo] = await Promise.all([
    serveChartRepository(CHART_VERSIONS),
    ...KEY_FILES.map((name) => promisify(execFile)('openssl', ['genrsa', '-out', path.join(keysDir, name), '2048'])),
  ]);
  project.provide('chartRepoUrl', repo.url);
  project.provide('testKeysDir', keysDir);
  return async () => {
    await repo.close();
    rmSync(runDir, { recursive: true, force: true });
  };
}
