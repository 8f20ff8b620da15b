import { compareVersions, NEWEST_KNOWN_CHART, parseChartVersion, type SemVer } from './chart.js';

/**
 * Which substra-backend, orchestrator and substra-frontend chart versions Substra released
 * together: the compatibility table of the documentation (substra-documentation,
 * docs/source/additional/releases.yaml, last changed with release 1.0.0). Charts published
 * after it (substra-backend 26.15.x, orchestrator 8.8.0) are in no row.
 */
export type Component = 'backend' | 'orchestrator' | 'frontend';

export const COMPONENTS: readonly Component[] = ['backend', 'orchestrator', 'frontend'];

export const CHART_NAMES: Record<Component, string> = {
  backend: 'substra-backend',
  orchestrator: 'orchestrator',
  frontend: 'substra-frontend',
};

export interface PublishedSet {
  /** the Substra release, e.g. 1.0.0 */
  release: string;
  charts: Record<Component, string>;
  /** the application versions the charts run, as the table gives them */
  apps: Record<Component, string>;
}

type Row = [release: string, backendApp: string, backendChart: string, orchestratorApp: string, orchestratorChart: string, frontendApp: string, frontendChart: string];

// Newest first, as the documentation lists them.
const ROWS: Row[] = [
  ['1.0.0', '1.0.0', '26.14.2', '1.0.0', '8.7.7', '1.0.0', '1.2.3'],
  ['0.39.0', '0.48.0', '26.9.1', '0.43.0', '8.7.6', '0.52.0', '1.2.2'],
  ['0.38.0', '0.47.0', '26.7.2', '0.42.0', '8.7.5', '0.51.0', '1.1.2'],
  ['0.37.0', '0.45.0', '24.5.0', '0.40.0', '8.4.0', '0.49.0', '1.0.28'],
  ['0.36.0', '0.44.0', '24.4.0', '0.39.0', '8.3.0', '0.48.0', '1.0.27'],
  ['0.35.0', '0.43.0', '24.0.3', '0.38.0', '8.1.1', '0.47.0', '1.0.26'],
  ['0.34.0', '0.42.2', '23.0.2', '0.37.0', '8.0.1', '0.46.0', '1.0.25'],
  ['0.33.1', '0.42.1', '22.8.3', '0.36.1', '7.5.5', '0.45.1', '1.0.24'],
  ['0.33.0', '0.42.1', '22.8.3', '0.36.1', '7.5.5', '0.45.1', '1.0.24'],
  ['0.32.0', '0.42.0', '22.8.2', '0.36.0', '7.5.4', '0.45.0', '1.0.23'],
  ['0.31.0', '0.41.0', '22.8.1', '0.36.0', '7.5.4', '0.45.0', '1.0.23'],
  ['0.30.0', '0.40.0', '22.6.1', '0.35.2', '7.5.3', '0.44.0', '1.0.21'],
  ['0.29.0', '0.39.0', '22.5.2', '0.35.1', '7.5.2', '0.43.0', '1.0.20'],
  ['0.28.1', '0.38.0', '22.5.1', '0.35.0', '7.5.1', '0.42.1', '1.0.19'],
  ['0.28.0', '0.38.0', '22.5.1', '0.35.0', '7.5.1', '0.42.1', '1.0.19'],
  ['0.27.0', '0.37.0', '22.4.4', '0.34.0', '7.4.13', '0.41.0', '1.0.17'],
  ['0.26.3', '0.36.1', '22.4.3', '0.33.0', '7.4.12', '0.40.0', '1.0.16'],
  ['0.26.2', '0.36.0', '22.4.2', '0.33.0', '7.4.12', '0.40.0', '1.0.16'],
  ['0.26.1', '0.36.0', '22.4.2', '0.33.0', '7.4.12', '0.40.0', '1.0.16'],
  ['0.26.0', '0.36.0', '22.4.2', '0.33.0', '7.4.12', '0.40.0', '1.0.16'],
  ['0.25.0', '0.35.1', '22.3.3', '0.32.0', '7.4.10', '0.39.2', '1.0.14'],
  ['0.24.0', '0.34.1', '22.2.4', '0.31.1', '7.4.8', '0.38.1', '1.0.11'],
  ['0.23.1', '0.33.0', '22.2.2', '0.30.0', '7.4.6', '0.37.0', '1.0.9'],
  ['0.22.0', '0.31.4', '22.1.2', '0.28.2', '7.4.4', '0.35.1', '1.0.7'],
  ['0.21.0', '0.29.0', '22.0.3', '0.26.1', '7.4.2', '0.34.0', '1.0.6'],
];

export const PUBLISHED_SETS: readonly PublishedSet[] = ROWS.map(([release, backendApp, backend, orchestratorApp, orchestrator, frontendApp, frontend]) => ({
  release,
  charts: { backend, orchestrator, frontend },
  apps: { backend: backendApp, orchestrator: orchestratorApp, frontend: frontendApp },
}));

/**
 * The newest chart of each component this tool knows. Together they are the default set: the
 * backend and orchestrator charts are newer than the table, the frontend chart is release 1.0.0's.
 */
export const NEWEST_KNOWN_ORCHESTRATOR_CHART = '8.8.0';
export const NEWEST_KNOWN_FRONTEND_CHART = '1.2.3';
export const NEWEST_KNOWN_CHARTS: Record<Component, string> = {
  backend: NEWEST_KNOWN_CHART,
  orchestrator: NEWEST_KNOWN_ORCHESTRATOR_CHART,
  frontend: NEWEST_KNOWN_FRONTEND_CHART,
};

/** Where a chart version stands in the table. Releases are named newest first. */
export type Placement =
  | { kind: 'published'; releases: string[] }
  /** newer than the chart of every published set; `after` is the newest release */
  | { kind: 'newer'; after: string }
  /** not in the table, but between the charts of two published releases */
  | { kind: 'between'; after: string; before: string }
  /** older than the chart of the oldest published set */
  | { kind: 'older'; before: string };

function versionOf(text: string): SemVer {
  const v = parseChartVersion(text);
  if (!v) throw new RangeError(`not a chart version: ${text}`);
  return v;
}

export function placeChartVersion(component: Component, version: string): Placement {
  const v = versionOf(version);
  const releases = PUBLISHED_SETS.filter((s) => compareVersions(versionOf(s.charts[component]), v) === 0).map((s) => s.release);
  if (releases.length) return { kind: 'published', releases };
  const newest = PUBLISHED_SETS[0] as PublishedSet;
  const oldest = PUBLISHED_SETS[PUBLISHED_SETS.length - 1] as PublishedSet;
  // The table is ordered by release, and each component's charts only grow down it.
  const after = PUBLISHED_SETS.find((s) => compareVersions(versionOf(s.charts[component]), v) < 0);
  if (after === newest) return { kind: 'newer', after: newest.release };
  if (!after) return { kind: 'older', before: oldest.release };
  const before = [...PUBLISHED_SETS].reverse().find((s) => compareVersions(versionOf(s.charts[component]), v) > 0) as PublishedSet;
  return { kind: 'between', after: after.release, before: before.release };
}

export function publishedSet(release: string): PublishedSet | undefined {
  return PUBLISHED_SETS.find((s) => s.release === release);
}

const listed = (items: string[]) => (items.length <= 2 ? items.join(' and ') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

const chartOf = (component: Component, release: string) => publishedSet(release)?.charts[component] ?? '?';

/** "orchestrator chart 8.7.7" */
export function chartLabel(component: Component, version: string): string {
  return `${component} chart ${version}`;
}

/** What the table says of one chart version, as a clause: "belongs to release 1.0.0". */
export function placementText(component: Component, placement: Placement): string {
  switch (placement.kind) {
    case 'published':
      return `belongs to release${placement.releases.length > 1 ? 's' : ''} ${listed([...placement.releases].reverse())}`;
    case 'newer':
      return `is newer than the published table (its newest set, release ${placement.after}, has ${chartOf(component, placement.after)})`;
    case 'between':
      return `is in no published set (it falls between release ${placement.after}, which has ${chartOf(component, placement.after)}, and release ${placement.before}, which has ${chartOf(component, placement.before)})`;
    case 'older':
      return `is older than the published table (its oldest set, release ${placement.before}, has ${chartOf(component, placement.before)})`;
  }
}

/** A few words for help texts: "Substra release 1.0.0", "newer than Substra release 1.0.0". */
export function placementBrief(placement: Placement): string {
  switch (placement.kind) {
    case 'published':
      return `Substra release${placement.releases.length > 1 ? 's' : ''} ${listed([...placement.releases].reverse())}`;
    case 'newer':
      return `newer than Substra release ${placement.after}, the newest in its compatibility table`;
    case 'between':
      return `in no Substra release (between ${placement.after} and ${placement.before})`;
    case 'older':
      return `older than Substra release ${placement.before}, the oldest in its compatibility table`;
  }
}

/** "release 1.0.0: substra-backend 26.14.2, orchestrator 8.7.7, substra-frontend 1.2.3" */
export function describeSet(set: PublishedSet): string {
  return `release ${set.release}: ${COMPONENTS.map((c) => `${CHART_NAMES[c]} ${set.charts[c]}`).join(', ')}`;
}

export interface PlacedVersion {
  component: Component;
  version: string;
  placement: Placement;
  /** "backend chart 26.15.3 is newer than the published table (…)" */
  text: string;
}

export interface VersionSetCheck {
  versions: PlacedVersion[];
  /** the releases every version belongs to; a version newer than the table counts as the newest release's */
  commonReleases: string[];
  /** true when fewer than two versions are given, or they share a published release */
  together: boolean;
  /** versions newer than the table: worth saying, not a fault */
  notes: string[];
  /** set when the versions do not belong together: names the release(s) of each */
  warning?: string;
  /** the published set to use instead, when they do not belong together */
  suggestion?: PublishedSet;
}

function releasesFor(placement: Placement): string[] {
  if (placement.kind === 'published') return placement.releases;
  // Charts released after the table follow its newest set; nothing else is vouched for.
  if (placement.kind === 'newer') return [placement.after];
  return [];
}

/**
 * Whether chart versions of different components belong to one published release. Takes any
 * of the three; a version newer than the table is a note, and agrees with the newest set.
 */
export function checkChartVersions(versions: Partial<Record<Component, string>>): VersionSetCheck {
  const placed: PlacedVersion[] = [];
  for (const component of COMPONENTS) {
    const version = versions[component];
    if (version === undefined) continue;
    const placement = placeChartVersion(component, version);
    placed.push({ component, version, placement, text: `${chartLabel(component, version)} ${placementText(component, placement)}` });
  }
  const notes = placed.filter((p) => p.placement.kind === 'newer').map((p) => p.text);
  const sets = placed.map((p) => releasesFor(p.placement));
  const commonReleases = sets.length ? (sets[0] as string[]).filter((r) => sets.every((s) => s.includes(r))) : [];
  const together = placed.length < 2 || commonReleases.length > 0;
  if (together) return { versions: placed, commonReleases, together, notes };
  const newestRelease = PUBLISHED_SETS.find((s) => sets.some((releases) => releases.includes(s.release)));
  const suggestion = newestRelease ?? (PUBLISHED_SETS[0] as PublishedSet);
  const warning = `these chart versions are not a published Substra set: ${placed.map((p) => p.text).join('; ')}. Versions that belong together: ${describeSet(suggestion)}`;
  return { versions: placed, commonReleases, together, notes, warning, suggestion };
}

/** What to say of a chart version the tool picked by default. */
export function defaultChartNote(component: Component, version: string = NEWEST_KNOWN_CHARTS[component]): string {
  return `${chartLabel(component, version)} ${placementText(component, placeChartVersion(component, version))}`;
}

/**
 * The orchestrator and frontend charts to deploy beside a backend chart: its published set's,
 * or for a backend newer than the table, the newest charts this tool knows.
 */
export function companionChartsNote(backendVersion: string): string {
  const placement = placeChartVersion('backend', backendVersion);
  const others = (set: Record<Component, string>) => `${CHART_NAMES.orchestrator} ${set.orchestrator} and ${CHART_NAMES.frontend} ${set.frontend}`;
  const label = `${CHART_NAMES.backend} ${backendVersion}`;
  switch (placement.kind) {
    case 'published': {
      const set = publishedSet(placement.releases[0] as string) as PublishedSet;
      return `${label} belongs to Substra release ${listed([...placement.releases].reverse())}: deploy it with ${others(set.charts)}`;
    }
    case 'newer': {
      const set = publishedSet(placement.after) as PublishedSet;
      return `${label} is newer than Substra's compatibility table (release ${placement.after}: ${CHART_NAMES.backend} ${set.charts.backend} with ${others(set.charts)}); the newest charts this tool knows to go with it: ${others(NEWEST_KNOWN_CHARTS)}`;
    }
    case 'between':
    case 'older': {
      const nearest = publishedSet(placement.kind === 'between' ? placement.after : placement.before) as PublishedSet;
      return `${label} ${placementText('backend', placement)}; the nearest published set is ${describeSet(nearest)}`;
    }
  }
}
