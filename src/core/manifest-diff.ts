import { parseAllDocuments, stringify } from 'yaml';
import { changedLinesView } from './source-edit.js';

/**
 * What an upgrade changes in the cluster: the manifests helm would apply against those of the
 * deployed release (`helm get manifest`), object by object, with every Secret's data masked so
 * the preview can be shown and logged.
 */
interface Manifest {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  data?: Record<string, unknown>;
  stringData?: Record<string, unknown>;
}

const keyOf = (m: Manifest) => `${m.kind ?? '?'} ${m.metadata?.name ?? '?'}`;

/**
 * Every Secret's values replaced: on the deployed side by `***`, on the new side by `***` when
 * unchanged and `*** (changed)` when not, so the diff shows which keys change and nothing else.
 */
function masked(manifests: Manifest[], deployed?: Map<string, Manifest>): Manifest[] {
  return manifests.map((m) => {
    if (m.kind !== 'Secret') return m;
    const other = deployed?.get(keyOf(m));
    const mark = (field: 'data' | 'stringData', k: string, v: unknown) => (!deployed || other?.[field]?.[k] === v ? '***' : '*** (changed)');
    const mask = (field: 'data' | 'stringData') => m[field] && Object.fromEntries(Object.entries(m[field]).map(([k, v]) => [k, mark(field, k, v)]));
    return { ...m, ...(m.data ? { data: mask('data') } : {}), ...(m.stringData ? { stringData: mask('stringData') } : {}) };
  });
}

function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text)
    .map((d) => (Array.isArray(d) ? undefined : (d.toJS() as Manifest | null)))
    .filter((m): m is Manifest => Boolean(m && typeof m === 'object' && m.kind));
}

export function manifestDiff(deployedText: string, renderedText: string): string[] {
  const deployed = parseManifests(deployedText);
  const rendered = parseManifests(renderedText);
  const byKey = (list: Manifest[]) => new Map(list.map((m) => [keyOf(m), m]));
  const before = byKey(masked(deployed));
  const after = byKey(masked(rendered, byKey(deployed)));
  const out: string[] = [];
  const show = (m: Manifest | undefined) => (m ? stringify(m, { lineWidth: 0 }) : '');
  for (const key of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const a = show(before.get(key));
    const b = show(after.get(key));
    if (a === b) continue;
    out.push(`--- ${key} (deployed)`, `+++ ${key} (this upgrade)`, ...changedLinesView(a, b, 2));
  }
  return out;
}
