import { describe, expect, it } from 'vitest';
import { NEWEST_KNOWN_CHART } from '../../src/core/chart.js';
import {
  checkChartVersions,
  companionChartsNote,
  defaultChartNote,
  NEWEST_KNOWN_CHARTS,
  placeChartVersion,
  PUBLISHED_SETS,
} from '../../src/core/compatibility.js';

describe("the documentation's compatibility table", () => {
  it('holds every published release from 0.21.0 to 1.0.0, newest first, with the charts of each', () => {
    expect(PUBLISHED_SETS).toHaveLength(25);
    expect(PUBLISHED_SETS[0]).toEqual({
      release: '1.0.0',
      charts: { backend: '26.14.2', orchestrator: '8.7.7', frontend: '1.2.3' },
      apps: { backend: '1.0.0', orchestrator: '1.0.0', frontend: '1.0.0' },
    });
    expect(PUBLISHED_SETS.at(-1)?.release).toBe('0.21.0');
    expect(PUBLISHED_SETS.find((s) => s.release === '0.33.0')?.charts).toEqual({ backend: '22.8.3', orchestrator: '7.5.5', frontend: '1.0.24' });
  });

  it('names the release(s) a chart version belongs to, for each component', () => {
    expect(placeChartVersion('backend', '26.14.2')).toEqual({ kind: 'published', releases: ['1.0.0'] });
    expect(placeChartVersion('orchestrator', '8.7.6')).toEqual({ kind: 'published', releases: ['0.39.0'] });
    expect(placeChartVersion('frontend', '1.2.3')).toEqual({ kind: 'published', releases: ['1.0.0'] });
    // One chart shipped in several releases.
    expect(placeChartVersion('backend', '22.8.3')).toEqual({ kind: 'published', releases: ['0.33.1', '0.33.0'] });
    expect(placeChartVersion('orchestrator', '7.4.12')).toEqual({ kind: 'published', releases: ['0.26.3', '0.26.2', '0.26.1', '0.26.0'] });
    expect(placeChartVersion('backend', 'v24.5.0')).toEqual({ kind: 'published', releases: ['0.37.0'] });
  });

  it('calls backend 26.15.x and orchestrator 8.8.0 newer than the table, and places unlisted and older versions', () => {
    expect(placeChartVersion('backend', '26.15.3')).toEqual({ kind: 'newer', after: '1.0.0' });
    expect(placeChartVersion('backend', '26.15.0')).toEqual({ kind: 'newer', after: '1.0.0' });
    expect(placeChartVersion('orchestrator', '8.8.0')).toEqual({ kind: 'newer', after: '1.0.0' });
    expect(placeChartVersion('backend', '26.10.0')).toEqual({ kind: 'between', after: '0.39.0', before: '1.0.0' });
    expect(placeChartVersion('backend', '22.8.4')).toEqual({ kind: 'between', after: '0.33.1', before: '0.34.0' });
    expect(placeChartVersion('backend', '18.3.1')).toEqual({ kind: 'older', before: '0.21.0' });
  });
});

describe('whether chart versions belong together', () => {
  it("release 0.33.1's backend, orchestrator and frontend charts belong together", () => {
    const check = checkChartVersions({ backend: '22.8.3', orchestrator: '7.5.5', frontend: '1.0.24' });
    expect(check.together).toBe(true);
    expect(check.commonReleases).toEqual(['0.33.1', '0.33.0']);
    expect(check.warning).toBeUndefined();
    expect(check.notes).toEqual([]);
  });

  it('any one version alone, or none, has nothing to disagree with', () => {
    expect(checkChartVersions({ orchestrator: '7.4.2' }).together).toBe(true);
    expect(checkChartVersions({}).together).toBe(true);
  });

  it("warns when they do not, naming each version's release and a set that does", () => {
    const check = checkChartVersions({ backend: '26.14.2', orchestrator: '7.5.5', frontend: '1.2.2' });
    expect(check.together).toBe(false);
    expect(check.warning).toContain('backend chart 26.14.2 belongs to release 1.0.0');
    expect(check.warning).toContain('orchestrator chart 7.5.5 belongs to releases 0.33.0 and 0.33.1');
    expect(check.warning).toContain('frontend chart 1.2.2 belongs to release 0.39.0');
    expect(check.warning).toContain('Versions that belong together: release 1.0.0: substra-backend 26.14.2, orchestrator 8.7.7, substra-frontend 1.2.3');
  });

  it('a version newer than the table is a note, and goes with the newest published set', () => {
    const check = checkChartVersions({ backend: '26.15.3', orchestrator: '8.7.7', frontend: '1.2.3' });
    expect(check.together).toBe(true);
    expect(check.warning).toBeUndefined();
    expect(check.notes).toEqual(['backend chart 26.15.3 is newer than the published table (its newest set, release 1.0.0, has 26.14.2)']);
  });

  it('but not with an older set', () => {
    const check = checkChartVersions({ backend: '26.15.3', orchestrator: '8.7.6' });
    expect(check.together).toBe(false);
    expect(check.warning).toContain('orchestrator chart 8.7.6 belongs to release 0.39.0');
    expect(check.suggestion?.release).toBe('1.0.0');
  });

  it('a version in no published set belongs with nothing', () => {
    const check = checkChartVersions({ backend: '26.10.0', orchestrator: '8.7.6' });
    expect(check.together).toBe(false);
    expect(check.warning).toContain('backend chart 26.10.0 is in no published set (it falls between release 0.39.0, which has 26.9.1, and release 1.0.0, which has 26.14.2)');
    expect(check.suggestion?.release).toBe('0.39.0');
  });
});

describe('the default set', () => {
  it('is the newest known chart of each component, and they belong together', () => {
    expect(NEWEST_KNOWN_CHARTS).toEqual({ backend: NEWEST_KNOWN_CHART, orchestrator: '8.8.0', frontend: '1.2.3' });
    const check = checkChartVersions(NEWEST_KNOWN_CHARTS);
    expect(check.together).toBe(true);
    expect(check.notes).toHaveLength(2);
  });

  it('says which published set each default belongs to, or that it is newer than the table', () => {
    expect(defaultChartNote('frontend')).toBe('frontend chart 1.2.3 belongs to release 1.0.0');
    expect(defaultChartNote('backend')).toBe(`backend chart ${NEWEST_KNOWN_CHART} is newer than the published table (its newest set, release 1.0.0, has 26.14.2)`);
    expect(defaultChartNote('orchestrator')).toBe('orchestrator chart 8.8.0 is newer than the published table (its newest set, release 1.0.0, has 8.7.7)');
  });
});

describe('the charts to deploy beside a backend chart', () => {
  it("are its published set's", () => {
    expect(companionChartsNote('26.9.1')).toBe('substra-backend 26.9.1 belongs to Substra release 0.39.0: deploy it with orchestrator 8.7.6 and substra-frontend 1.2.2');
  });

  it('are the newest known for a backend newer than the table (the default)', () => {
    expect(companionChartsNote(NEWEST_KNOWN_CHART)).toBe(
      `substra-backend ${NEWEST_KNOWN_CHART} is newer than Substra's compatibility table (release 1.0.0: substra-backend 26.14.2 with orchestrator 8.7.7 and substra-frontend 1.2.3); the newest charts this tool knows to go with it: orchestrator 8.8.0 and substra-frontend 1.2.3`,
    );
  });

  it('name the nearest published set for a backend in none', () => {
    expect(companionChartsNote('26.10.0')).toContain('the nearest published set is release 0.39.0: substra-backend 26.9.1, orchestrator 8.7.6, substra-frontend 1.2.2');
  });
});
