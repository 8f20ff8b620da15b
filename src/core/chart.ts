/**
 * What the substra-backend chart does differently by version (../shared/docs/substra-facts.md).
 * Every version-dependent decision of the tool goes through chartProfile().
 */
export const NEWEST_KNOWN_CHART = '26.15.3';

export interface ChartProfile {
  version: string;
  /** Kind of the cluster object that orchestrator.tls.cacert names. */
  caObjectKind: 'Secret' | 'ConfigMap';
  incomingKey: 'incomingOrganizations' | 'incomingNodes';
  outgoingKey: 'outgoingOrganizations' | 'outgoingNodes';
  /** addAccountOperator.existingSecret is understood. */
  supportsExistingSecret: boolean;
  /**
   * The add-account Job syncs: it deletes accounts that are no longer in the values file and
   * updates changed secrets. Before, it only creates: an existing account keeps its secret.
   */
  deletesRemovedAccounts: boolean;
  /** Organization lines are split at their last space, so mspIDs and link entry names may hold spaces. */
  linkNamesMaySpace: boolean;
  /**
   * The account Job runs `manage.py add_user "$user" "$password" "$channel"` (and the like)
   * for each line: a field starting with "-" reads as an option and stops the Job. From
   * 26.12.0 the sync commands read the files themselves.
   */
  accountFieldsAsArguments: boolean;
  /**
   * The account Job splits these lines with bash `read` without -r, which drops every
   * backslash: user lines until 26.12.0, organization lines until 26.6.6 (`IFS= read -r`).
   */
  backslashesDropped: { users: boolean; links: boolean };
  /** orchestrator.sameCluster picks an egress network policy (private ranges only, or public only). */
  sameClusterPolicy: boolean;
  /** Keys the chart of this version still reads beside the ones the tool manages. */
  olderKeys: { orchestrator: string[]; addAccountOperator: string[] };
  /** The chart's default backend image has no sync_* commands: server.image.tag must be set. */
  defaultImageLacksSync: boolean;
}

export type SemVer = [number, number, number];

export function parseChartVersion(text: string): SemVer | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+][0-9A-Za-z.+-]*)?$/.exec(text.trim());
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

export function compareVersions(a: SemVer, b: SemVer): number {
  for (let i = 0; i < 3; i += 1) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/**
 * Why a target chart version is one this tool does not serve, or undefined. Before 13.0.0 the
 * chart reads accounts at the top level and the CA from orchestrator.tls.secrets: a layout
 * this tool neither writes nor checks. One rule for --chart-version and the network file.
 */
export function unsupportedChart(version: SemVer): string | undefined {
  if (compareVersions(version, [13, 0, 0]) >= 0) return undefined;
  return 'charts before 13.0.0 lay out accounts and TLS differently (top-level users, incomingNodes, orchestrator.tls.secrets), which this tool does not write or check; deploy chart 13.0.0 or later';
}

const atLeast = (v: SemVer, major: number, minor = 0, patch = 0): boolean =>
  compareVersions(v, [major, minor, patch]) >= 0;

export function chartProfile(versionText: string = NEWEST_KNOWN_CHART): ChartProfile {
  const v = parseChartVersion(versionText);
  if (!v) throw new RangeError(`not a chart version: ${versionText}`);
  const renamedNodes = atLeast(v, 18, 1);
  return {
    version: versionText.replace(/^v/, ''),
    // A Secret up to 13.0.0, a ConfigMap from 13.0.1 to 25.x, a Secret again from 26.0.0:
    // the guide's ConfigMap leaves 26.x pods pending (CHANGELOG 13.0.1 and 26.0.0).
    caObjectKind: atLeast(v, 26) || !atLeast(v, 13, 0, 1) ? 'Secret' : 'ConfigMap',
    incomingKey: renamedNodes ? 'incomingOrganizations' : 'incomingNodes',
    outgoingKey: renamedNodes ? 'outgoingOrganizations' : 'outgoingNodes',
    supportsExistingSecret: atLeast(v, 26, 8),
    deletesRemovedAccounts: atLeast(v, 26, 12),
    linkNamesMaySpace: atLeast(v, 26, 6, 6),
    accountFieldsAsArguments: !atLeast(v, 26, 12),
    backslashesDropped: { users: !atLeast(v, 26, 12), links: !atLeast(v, 26, 6, 6) },
    sameClusterPolicy: atLeast(v, 26, 6, 2),
    // orchestrator.rabbitmq went with 22.0.0 (events moved to Redis); the account operator's
    // resources with 21.0.0 (it became a Job).
    olderKeys: {
      orchestrator: atLeast(v, 22) ? [] : ['rabbitmq'],
      addAccountOperator: atLeast(v, 21) ? [] : ['resources'],
    },
    // 26.12.0–26.14.1 default to backend 0.48.0, which predates the sync commands their Job runs.
    defaultImageLacksSync: atLeast(v, 26, 12) && !atLeast(v, 26, 14, 2),
  };
}
