import { parseAllDocuments, stringify } from 'yaml';
import { changedLinesView } from './source-edit.js';
import { SECRET_KEY } from './values-doc.js';

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

const isScalarValue = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/**
 * Outside Secrets, the values of password-like keys (a ConfigMap entry `DB_PASSWORD`, an env
 * entry `{name: DATABASE_PASSWORD, value: …}`) masked the same way: the deployed side may hold
 * an old password this run knows nothing of, so no list of known secrets could hide it.
 */
function maskedFields(node: unknown, other: unknown, deployed: boolean): unknown {
  const mark = (v: unknown, o: unknown) => (deployed || o === v ? '***' : '*** (changed)');
  if (Array.isArray(node)) return node.map((item, i) => maskedFields(item, Array.isArray(other) ? other[i] : undefined, deployed));
  if (!node || typeof node !== 'object') return node;
  const record = node as Record<string, unknown>;
  const otherRecord = other && typeof other === 'object' && !Array.isArray(other) ? (other as Record<string, unknown>) : {};
  const envSecret = typeof record.name === 'string' && SECRET_KEY.test(record.name) && isScalarValue(record.value);
  return Object.fromEntries(
    Object.entries(record).map(([k, v]) => {
      if ((isScalarValue(v) && SECRET_KEY.test(k) && v !== '') || (envSecret && k === 'value')) return [k, mark(v, otherRecord[k])];
      return [k, maskedFields(v, otherRecord[k], deployed)];
    }),
  );
}

/**
 * Every Secret's values replaced: on the deployed side by `***`, on the new side by `***` when
 * unchanged and `*** (changed)` when not, so the diff shows which keys change and nothing else.
 */
function masked(manifests: Manifest[], deployed?: Map<string, Manifest>): Manifest[] {
  return manifests.map((m) => {
    if (m.kind !== 'Secret') return maskedFields(m, deployed?.get(keyOf(m)), !deployed) as Manifest;
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
