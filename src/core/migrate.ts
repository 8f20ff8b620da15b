import { isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import { compareVersions, parseChartVersion, type SemVer } from './chart.js';
import { MIGRATIONS, RUNBOOK, type Migration, type RunbookStep } from './migrations-table.js';
import { documentValues, moveNode, removeNode, setNodeAt } from './values-doc.js';
import { valueAt } from './questions.js';

/**
 * Carrying a values file from one substra-backend chart version to another: every value the
 * charts in between renamed, re-shaped or dropped (migrations-table.ts), applied in version
 * order to the document (comments and everything else kept), and the steps in the cluster a
 * file cannot carry. Applying a plan twice changes nothing the second time.
 */
export interface AppliedRewrite {
  version: string;
  /** what happened, e.g. "addAccountOperator.incomingNodes → addAccountOperator.incomingOrganizations" */
  change: string;
  why: string;
}

export interface MigrationResult {
  rewrites: AppliedRewrite[];
  /** values the file sets that a crossed version dropped with no replacement: left for the operator */
  leftovers: AppliedRewrite[];
  runbook: RunbookStep[];
}

const crossed = (version: string, from: SemVer, to: SemVer): boolean => {
  const v = parseChartVersion(version) as SemVer;
  return compareVersions(v, from) > 0 && compareVersions(v, to) <= 0;
};

const dotted = (path: readonly string[]) => path.join('.');

export function migrateDocument(doc: Document, fromVersion: string, toVersion: string): MigrationResult {
  const from = parseChartVersion(fromVersion);
  const to = parseChartVersion(toVersion);
  if (!from || !to) throw new RangeError(`not a chart version: ${!from ? fromVersion : toVersion}`);
  const result: MigrationResult = { rewrites: [], leftovers: [], runbook: [] };
  if (compareVersions(from, to) >= 0) return result;
  const steps = MIGRATIONS.filter((m) => crossed(m.version, from, to)).sort((a, b) =>
    compareVersions(parseChartVersion(a.version) as SemVer, parseChartVersion(b.version) as SemVer),
  );
  for (const step of steps) applyStep(doc, step, result);
  result.runbook = RUNBOOK.filter((r) => crossed(r.version, from, to)).sort((a, b) =>
    compareVersions(parseChartVersion(a.version) as SemVer, parseChartVersion(b.version) as SemVer),
  );
  return result;
}

function applyStep(doc: Document, step: Migration, result: MigrationResult): void {
  const values = documentValues(doc);
  const here = valueAt(values, step.from);
  if (step.kind === 'pin-default') {
    if (here !== undefined || (step.when && !step.when(values))) return;
    setNodeAt(doc, step.from, step.value);
    result.rewrites.push({ version: step.version, change: `${dotted(step.from)}: ${JSON.stringify(step.value)} written (the old default)`, why: step.why });
    return;
  }
  if (here === undefined) return;
  const note = (change: string) => result.rewrites.push({ version: step.version, change, why: step.why });
  switch (step.kind) {
    case 'rename': {
      const to = step.to;
      if (valueAt(values, to) !== undefined) {
        // Both spellings present: the new one is what the chart reads; the old one is dead.
        removeNode(doc, step.from);
        note(`removed ${dotted(step.from)} (${dotted(to)} is already set, and the chart reads only that)`);
      } else {
        if (!renameKeyInPlace(doc, step.from, to)) moveNode(doc, step.from, to);
        note(`${dotted(step.from)} → ${dotted(to)}`);
      }
      return;
    }
    case 'copy': {
      const to = step.to as string[];
      if (valueAt(values, to) !== undefined || (step.when && !step.when(values))) return;
      setNodeAt(doc, to, here);
      note(`copied ${dotted(step.from)} to ${dotted(to)}`);
      return;
    }
    case 'names-to-maps': {
      const node = doc.getIn(step.from, true) as Node | undefined;
      if (!isSeq(node)) return;
      let changed = false;
      node.items.forEach((item, i) => {
        if (isScalar(item) && typeof item.value === 'string') {
          const map = doc.createNode({ name: item.value });
          const value = map.items[0]?.value;
          // The item's own comment stays on its line.
          if (isScalar(value)) value.comment = item.comment;
          map.commentBefore = item.commentBefore;
          node.items[i] = map as never;
          changed = true;
        }
      });
      if (changed) note(`${dotted(step.from)}: each name becomes {name: …}`);
      return;
    }
    case 'remove': {
      removeNode(doc, step.from);
      note(`removed ${dotted(step.from)}`);
      return;
    }
    case 'leftover': {
      const node = doc.getIn(step.from, true);
      if (node === undefined || (isMap(node) && node.items.length === 0)) return;
      result.leftovers.push({ version: step.version, change: `${dotted(step.from)}: check it`, why: step.why });
      return;
    }
  }
}

/**
 * A rename within one map (worker.rbac.enable → create, incomingNodes → incomingOrganizations)
 * changes the key's text where it stands: moving the value would put it last in its map and
 * leave its blank line behind. False when the path passes an alias (moveNode copies those out).
 */
function renameKeyInPlace(doc: Document, from: readonly string[], to: readonly string[]): boolean {
  const parentPath = from.slice(0, -1);
  if (to.length !== from.length || parentPath.some((key, i) => to[i] !== key)) return false;
  let parent: unknown = doc.contents;
  for (const key of parentPath) {
    if (!isMap(parent)) return false;
    parent = parent.get(key, true);
  }
  if (!isMap(parent) || isAlias(parent)) return false;
  const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === from[from.length - 1]);
  if (!pair || !isScalar(pair.key) || isAlias(pair.value)) return false;
  pair.key.value = to[to.length - 1];
  return true;
}

export { type Migration, type RunbookStep };
