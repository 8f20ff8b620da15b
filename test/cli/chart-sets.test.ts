import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { NEWEST_KNOWN_CHART } from '../../src/core/chart.js';
import { tempDir } from '../helpers/cli.js';
import { runMain } from '../helpers/in-process.js';
import { guideValues } from '../helpers/values.js';

/** validate with the other components' chart versions: Substra's compatibility table decides. */
let dir: string;
const validate = (...args: string[]) => runMain(['validate', 'backend-values.yaml', ...args], { cwd: dir });

beforeAll(() => {
  dir = tempDir();
  writeFileSync(path.join(dir, 'backend-values.yaml'), stringify(guideValues()));
});

describe('validate --orchestrator-chart-version / --frontend-chart-version', () => {
  it('warns when the charts were not released together, naming the release of each, and stays valid (exit 0)', async () => {
    const r = await validate('--chart-version', '26.14.2', '--orchestrator-chart-version', '7.5.5', '--frontend-chart-version', '1.2.2');
    expect(r.code, r.stderr).toBe(0);
    const warning = r.stderr.split('\n').find((l) => l.startsWith('warning: chart versions: '));
    expect(warning, r.stderr).toBeDefined();
    expect(warning).toContain('backend chart 26.14.2 belongs to release 1.0.0');
    expect(warning).toContain('orchestrator chart 7.5.5 belongs to releases 0.33.0 and 0.33.1');
    expect(warning).toContain('frontend chart 1.2.2 belongs to release 0.39.0');
    expect(warning).toContain('Versions that belong together: release 1.0.0: substra-backend 26.14.2, orchestrator 8.7.7, substra-frontend 1.2.3');
  });

  it('compares against the default backend chart when --chart-version is not given, and says so', async () => {
    const r = await validate('--orchestrator-chart-version', '8.7.6');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`backend chart ${NEWEST_KNOWN_CHART} is newer than the published table`);
    expect(r.stderr).toContain('orchestrator chart 8.7.6 belongs to release 0.39.0');
    expect(r.stderr).toContain(`backend chart ${NEWEST_KNOWN_CHART} is the default: name the deployed one with --chart-version`);
  });

  it('says nothing but that they belong together for a published set', async () => {
    const r = await validate('--chart-version', '22.8.3', '--orchestrator-chart-version', '7.5.5', '--frontend-chart-version', '1.0.24');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('warning');
    expect(r.stderr).toContain('the chart versions belong together (Substra release 0.33.0, 0.33.1)');
  });

  it('takes the newest known set (backend and orchestrator newer than the table) as belonging together, with a note', async () => {
    const r = await validate('--orchestrator-chart-version', '8.8.0', '--frontend-chart-version', '1.2.3', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('warning');
    expect(r.stderr).toContain('note: orchestrator chart 8.8.0 is newer than the published table (its newest set, release 1.0.0, has 8.7.7)');
    const report = JSON.parse(r.stdout);
    expect(report.warnings).toEqual([]);
    expect(report.chartSet).toMatchObject({ together: true, releases: ['1.0.0'] });
    expect(report.chartSet.versions.map((v: { component: string }) => v.component)).toEqual(['backend', 'orchestrator', 'frontend']);
  });

  it('puts the warning in the --json report', async () => {
    const r = await validate('--chart-version', '26.9.1', '--frontend-chart-version', '1.2.3', '--json');
    const report = JSON.parse(r.stdout);
    expect(report.chartSet.together).toBe(false);
    expect(report.warnings).toEqual([expect.objectContaining({ path: 'chart versions', message: expect.stringContaining('frontend chart 1.2.3 belongs to release 1.0.0') })]);
  });

  it('refuses a malformed version as a usage error', async () => {
    const r = await validate('--frontend-chart-version', 'latest');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--frontend-chart-version "latest": must be a version');
  });
});

describe('deploy --dry-run', () => {
  it('names the orchestrator and frontend charts that go with the backend chart', async () => {
    const r = await runMain(['deploy', '--values', 'backend-values.yaml', '--dry-run', '--chart-version', '26.9.1'], { cwd: dir, env: { PATH: process.env.PATH, HOME: process.env.HOME } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('substra-backend 26.9.1 belongs to Substra release 0.39.0: deploy it with orchestrator 8.7.6 and substra-frontend 1.2.2');
  });
});
