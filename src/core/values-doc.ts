import { Document, isAlias, isCollection, isMap, isPair, isScalar, isSeq, parseAllDocuments, parseDocument, Parser, Scalar, visit, YAMLMap, YAMLSeq, type Node, type ScalarTag, type Tags } from 'yaml';
import type { AccountAnswer, AccountKind, Answers, ChannelAnswer, PartialAnswers, ScalarKey } from './answers.js';
import type { ChartProfile } from './chart.js';
import { InputError, type Issue } from './errors.js';
import { changedLinesView, mergeEdit } from './source-edit.js';
import { readSetting, settingFor, SETTINGS, valueAt, type ValuesLike } from './questions.js';
import { jsonStringList, linkEntriesWithChannel } from './values-shape.js';
import { locatedYamlError } from './yaml-errors.js';

/**
 * helm (go-yaml v2 through sigs.k8s.io/yaml) reads a plain scalar as a number after dropping
 * every "_" and trying Go's strconv with base 0: so `0o17`, `0x_1F`, `1__0` and `-0b1` are
 * numbers to helm although YAML 1.1 reads them as strings. Only used to decide quoting.
 */
class HelmNumberPattern extends RegExp {
  constructor() {
    super('^[-+.0-9]');
  }

  override test(text: string): boolean {
    if (!/^[-+.0-9]/.test(text)) return false;
    const plain = text.replace(/_/g, '');
    return (
      /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)$/.test(plain) ||
      /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(plain)
    );
  }
}

const HELM_NUMBER: ScalarTag = {
  identify: () => false,
  default: true,
  tag: 'tag:yaml.org,2002:int',
  test: new HelmNumberPattern(),
  resolve: (text) => text,
};

/**
 * Read as helm reads them (Go's base-0 rules), so validate refuses a name helm prints as
 * %!s(float64=15). Its format marks the numbers it read, so only they print through it.
 */
const HELM_NUMBER_READ: ScalarTag = {
  ...HELM_NUMBER,
  format: 'HELM',
  identify: (value) => typeof value === 'number',
  resolve: (text) => helmNumber(text),
  stringify: ({ value }) => String(value),
};

function helmNumber(text: string): number {
  const plain = text.replace(/_/g, '');
  const sign = plain.startsWith('-') ? -1 : 1;
  const digits = plain.replace(/^[-+]/, '');
  const radix = { x: 16, o: 8, b: 2 }[digits.slice(0, 2).toLowerCase().replace(/^0/, '')];
  if (radix) return sign * parseInt(digits.slice(2), radix);
  return /^0[0-7]+$/.test(digits) ? sign * parseInt(digits, 8) : Number(plain);
}

/**
 * Strings are written quoted whenever any likely reader would take them for something else:
 * YAML 1.1 (the document's own schema), YAML 1.2 core (`0o17`, `.inf`) and helm itself.
 */
const OTHER_READERS: Tags = ['bool', 'null', 'int', 'intHex', 'intOct', 'float', 'floatExp', 'floatNaN', HELM_NUMBER];

const sameValue = (a: unknown, b: unknown): boolean =>
  a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : Object.is(a, b) || a === b;

/**
 * Untouched scalars keep their text: the yaml library would otherwise rewrite
 * `2001-12-14t21:59:43.10-05:00` as an ISO date, `1_000` as 1000, `.Inf` as .inf — and an
 * unmanaged plain string such as `0o17` in quotes, which changes what helm reads.
 */
function keepSourceText(tags: Tags): Tags {
  return tags.map((tag) => {
    if (typeof tag === 'string' || !('resolve' in tag) || typeof tag.stringify !== 'function' || (tag as { collection?: string }).collection) return tag;
    const scalarTag = tag as ScalarTag;
    const stringify = scalarTag.stringify as NonNullable<ScalarTag['stringify']>;
    const isString = scalarTag.tag === 'tag:yaml.org,2002:str';
    return {
      ...scalarTag,
      stringify(item, ctx, onComment, onChompKeep) {
        const source = (item as Scalar).source;
        if (typeof source === 'string') {
          if (isString) {
            if ((item as Scalar).type === Scalar.PLAIN && source === item.value && !source.includes('\n') && source !== '') return source;
          } else if (scalarTag.test?.test(source) && sameValue(scalarTag.resolve(source, () => undefined, {} as never), item.value)) {
            return source;
          }
        }
        return stringify.call(scalarTag, item, ctx, onComment, onChompKeep);
      },
    } as ScalarTag;
  });
}

/**
 * The values file as a yaml Document. Helm reads YAML 1.1, where `yes`, `on` and `off` are
 * booleans: documents are parsed and written in 1.1 so the tool sees what Helm sees and
 * quotes any string Helm would otherwise misread.
 */
const YAML_OPTIONS = { version: '1.1', prettyErrors: true, uniqueKeys: true, compat: OTHER_READERS, customTags: (tags: Tags) => keepSourceText([...tags, HELM_NUMBER_READ]) } as const;
export const RENDER_OPTIONS = { lineWidth: 0, indentSeq: true } as const;

/**
 * What a parsed file looked like, so an edit is written back in its own spelling: its text
 * (source-edit.ts changes only the edited lines of it, CRLF included) and what that text is
 * printed like where lines do change.
 */
interface FileLayout {
  /** the text of the file's (first) document, as on disk */
  source: string;
  /** the same with every line break a YAML reader sees spelled as one (a lone CR as LF): what is parsed */
  parsed: string;
  /** started with a byte-order mark */
  bom: boolean;
  /** empty documents after the first (a trailing `---`), kept as written */
  tail: string;
  /** writes `{ a: 1 }` rather than `{a: 1}` */
  flowPadding: boolean;
  /** its indentation step, and whether list items sit under their key or beside it */
  indent: number;
  indentSeq: boolean;
}

const layouts = new WeakMap<Document, FileLayout>();

/** Far deeper than any values file; the yaml library's recursion ends near 800 levels. */
export const MAX_NESTING = 256;

function position(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

// go-yaml accepts TAB, LF, CR and printable characters only; NEL and the C1 set are refused
// too (NEL is also a line break to YAML 1.1 readers).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/;

/** What helm refuses before reading any value: refused here too, one line each. */
function refuseWhatHelmRefuses(text: string, file: string): void {
  const control = CONTROL.exec(text);
  if (control) {
    const { line, col } = position(text, control.index);
    const code = (control[0].codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0');
    throw new InputError(`${file}:${line}:${col}: holds the control character U+${code}, which helm refuses ("control characters are not allowed"); remove it`);
  }
  for (const token of new Parser().parse(text)) {
    if (token.type === 'directive') {
      const { line, col } = position(text, token.offset);
      throw new InputError(
        `${file}:${line}:${col}: holds the directive "${token.source.trim()}", which helm refuses (it reads YAML 1.1 and takes no directive); remove the line`,
      );
    }
  }
}

function nestingDepth(root: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (depth > deepest) deepest = depth;
    if (deepest > MAX_NESTING) return deepest;
    if (isCollection(node)) for (const item of node.items) stack.push([item, depth + 1]);
    else if (isPair(node)) stack.push([node.key, depth], [node.value, depth]);
  }
  return deepest;
}

const tooDeep = (where: string) =>
  new InputError(`${where}: nested more than ${MAX_NESTING} levels deep; substra-deploy reads no deeper (a values file needs a handful)`);

const isEmptyDocument = (doc: Document) =>
  doc.errors.length === 0 && (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null && doc.contents.source === ''));

function detectIndentation(text: string): { indent: number; indentSeq: boolean } {
  const lines = text.split(/\r?\n/);
  let indent = 2;
  let beside = 0;
  let under = 0;
  for (let i = 0; i < lines.length - 1; i += 1) {
    const key = /^( *)[^\s#-][^:#]*:\s*(#.*)?$/.exec(lines[i] as string);
    if (!key) continue;
    const next = lines.slice(i + 1).find((l) => l.trim() !== '' && !l.trim().startsWith('#'));
    const child = next ? /^( *)(- )?/.exec(next) : null;
    if (!child) continue;
    const depth = (child[1] as string).length - (key[1] as string).length;
    if (child[2]) {
      if (depth === 0) beside += 1;
      else if (depth > 0) under += 1;
    } else if (depth > 0 && indent === 2 && (key[1] as string).length === 0) {
      indent = depth;
    }
  }
  return { indent: indent >= 1 && indent <= 8 ? indent : 2, indentSeq: beside <= under };
}

/** Aliases may expand to at most this many nodes in all: past it the file is an alias bomb. */
export const MAX_ALIAS_EXPANSION = 100_000;

/**
 * What helm's YAML reader also refuses after parsing: an alias to an anchor never set, a
 * merge key (`<<`) onto something that is not a map, aliases that expand without bound.
 * Found here with their position, before anything turns the document into values.
 */
function resolutionProblem(doc: Document): { offset: number; message: string } | undefined {
  let problem: { offset: number; message: string } | undefined;
  const sizes = new Map<Node, number>();
  const expandedSize = (node: unknown, depth = 0): number => {
    if (depth > 200) return Infinity;
    if (isAlias(node)) {
      const target = node.resolve(doc);
      return target ? expandedSize(target, depth + 1) : 1;
    }
    if (!isCollection(node)) return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    let size = 1;
    for (const item of node.items) {
      size += isPair(item) ? expandedSize(item.key, depth + 1) + expandedSize(item.value, depth + 1) : expandedSize(item, depth + 1);
      if (size > MAX_ALIAS_EXPANSION * 10) break;
    }
    sizes.set(node, size);
    return size;
  };
  let aliasTotal = 0;
  visit(doc, {
    Alias(_, alias) {
      const start = alias.range?.[0] ?? 0;
      const target = alias.resolve(doc);
      if (!target) {
        problem = { offset: start, message: `alias *${alias.source} refers to no anchor &${alias.source} set before it` };
        return visit.BREAK;
      }
      aliasTotal += expandedSize(target);
      if (aliasTotal > MAX_ALIAS_EXPANSION) {
        problem = { offset: start, message: `aliases expand to more than ${MAX_ALIAS_EXPANSION} values (an alias bomb?); helm refuses such a file too` };
        return visit.BREAK;
      }
      return undefined;
    },
    Pair(_, pair) {
      // In YAML 1.1 a plain `<<` key is a merge key (the parser gives it a symbol value).
      if (!isScalar(pair.key) || pair.key.source !== '<<' || typeof pair.key.value !== 'symbol') return undefined;
      const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
      for (const source of sources) {
        const resolved = isAlias(source) ? source.resolve(doc) : source;
        if (!isMap(resolved)) {
          const at = (source as Node | null)?.range?.[0] ?? pair.key.range?.[0] ?? 0;
          problem = { offset: at, message: 'a merge key (<<) must point at a map (or a list of maps)' };
          return visit.BREAK;
        }
      }
      return undefined;
    },
  });
  return problem;
}

export function parseValuesDocument(text: string, file: string): Document {
  const bom = text.startsWith('\ufeff');
  if (bom) text = text.slice(1);
  const raw = text;
  // A lone CR (old Mac line ends) is a line break to YAML and to helm, not to the yaml
  // library; one character for one, so every offset and position stays right.
  text = text.replace(/\r(?!\n)/g, '\n');
  refuseWhatHelmRefuses(text, file);
  let docs: Document[];
  try {
    const all = parseAllDocuments(text, YAML_OPTIONS);
    docs = all.length ? (all as Document[]) : [parseDocument(text, YAML_OPTIONS)];
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep(file);
    throw error;
  }
  const doc = docs[0] as Document;
  // Only the first document is the file's values; a trailing `---` after it is kept as written.
  const own = docs.length > 1 ? text.slice(0, doc.range?.[2] ?? text.length) : text;
  layouts.set(doc, {
    source: raw.slice(0, own.length),
    parsed: own,
    bom,
    tail: raw.slice(own.length),
    flowPadding: !/[{[][^\s}\]]/.test(own) || /[{[] \S/.test(own),
    ...detectIndentation(own),
  });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    const where = pos ? `${file}:${pos.line}:${pos.col}` : file;
    if (/call stack/i.test(first.message)) throw tooDeep(where);
    const message = (first.message.split('\n')[0] ?? first.message).replace(/ at line \d+, column \d+:?$/, '');
    throw new InputError(locatedYamlError(text, file, first.pos[0], 'YAML syntax error', message));
  }
  // A trailing `---` (helm accepts it) opens an empty document: kept, as written.
  const extra = docs.slice(1).find((d) => !isEmptyDocument(d));
  if (extra) {
    const { line } = position(text, extra.range?.[0] ?? 0);
    throw new InputError(`${file}:${line}:1: holds a second YAML document; helm reads only the first: keep one document per file`);
  }
  const root = doc.contents;
  if (root !== null && !isMap(root)) {
    throw new InputError(`${file}: must hold a map of values at the top (it holds ${isSeq(root) ? 'a list' : 'a single value'})`);
  }
  if (nestingDepth(root) > MAX_NESTING) throw tooDeep(file);
  const unresolved = resolutionProblem(doc);
  if (unresolved) throw new InputError(locatedYamlError(text, file, unresolved.offset, 'YAML error', unresolved.message));
  return doc;
}

export function newValuesDocument(): Document {
  const doc = new Document({}, YAML_OPTIONS);
  doc.commentBefore =
    ' Values for the substra-backend Helm chart, written by substra-deploy.\n' +
    ' Check it with: substra-deploy validate <this file>';
  return doc;
}

const MODELINE = /^ ?yaml-language-server: \$schema=\S*$/m;

/** Points editors (yaml-language-server) at a JSON Schema: the first comment line of the file. */
export function setSchemaModeline(doc: Document, ref: string): boolean {
  const line = ` yaml-language-server: $schema=${ref}`;
  const before = doc.commentBefore ?? '';
  if (before.split('\n').includes(line)) return false;
  doc.commentBefore = MODELINE.test(before) ? before.replace(MODELINE, line) : before ? `${line}\n${before}` : line;
  return true;
}

/** The schema reference of the document's yaml-language-server line, if it has one. */
export function schemaModeline(doc: Document): string | undefined {
  return /^ ?yaml-language-server: \$schema=(\S+)$/m.exec(doc.commentBefore ?? '')?.[1];
}

function printDocument(doc: Document, like: Document = doc): string {
  const layout = layouts.get(like);
  const style = layout ? { indent: layout.indent, indentSeq: layout.indentSeq, flowCollectionPadding: layout.flowPadding } : { flowCollectionPadding: true };
  return doc.toString({ ...RENDER_OPTIONS, ...style });
}

/**
 * The document as text. One parsed from a file comes back as that file's text with only the
 * edited lines changed (source-edit.ts), its BOM and a trailing `---` kept; a new one is
 * printed whole.
 */
export function renderDocument(doc: Document): string {
  const layout = layouts.get(doc);
  if (!layout) return printDocument(doc);
  const untouched = parseDocument(layout.parsed, YAML_OPTIONS);
  const text = mergeEdit(layout.source, printDocument(untouched, doc), printDocument(doc)) + layout.tail;
  return layout.bom ? `\ufeff${text}` : text;
}

export function documentValues(doc: Document): ValuesLike {
  // parseValuesDocument already bounded what aliases expand to (MAX_ALIAS_EXPANSION).
  const js = doc.toJS({ maxAliasCount: -1 }) as unknown;
  return js && typeof js === 'object' && !Array.isArray(js) ? (js as ValuesLike) : {};
}

// ---- reading answers back from a values file ----

const asRecord = (x: unknown): Record<string, unknown> | undefined =>
  x && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : undefined;

function accountsFrom(list: unknown, withChannel: boolean): AccountAnswer[] {
  if (!Array.isArray(list)) return [];
  const out: AccountAnswer[] = [];
  for (const item of list) {
    const r = asRecord(item);
    if (!r || typeof r.name !== 'string') continue;
    const account: AccountAnswer = { name: r.name };
    if (withChannel && typeof r.channel === 'string') account.channel = r.channel;
    if (typeof r.secret === 'string' && r.secret !== '') {
      account.secret = r.secret;
      account.origin = { kind: 'values' };
    }
    out.push(account);
  }
  return out;
}

function channelsFrom(list: unknown): ChannelAnswer[] {
  if (!Array.isArray(list)) return [];
  const out: ChannelAnswer[] = [];
  for (const entry of list) {
    const r = asRecord(entry);
    const name = r ? Object.keys(r)[0] : undefined;
    if (!r || name === undefined) continue;
    const s = asRecord(r[name]) ?? {};
    const chaincode = asRecord(s.chaincode)?.name;
    out.push({
      name,
      restricted: s.restricted === true,
      modelExport: s.model_export_enabled === true,
      ...(typeof chaincode === 'string' ? { chaincode } : {}),
    });
  }
  return out;
}

/** Everything the values file already says, as answers (used as prefill). */
export function answersFromValues(values: ValuesLike, profile: ChartProfile): PartialAnswers {
  const answers: Record<string, unknown> = {};
  for (const setting of SETTINGS) {
    const value = readSetting(setting, values);
    if (value !== undefined) answers[setting.key] = value;
  }
  const allowedHosts = jsonStringList(valueAt(values, ALLOWED_HOSTS_PATH));
  if (allowedHosts) answers.allowedHosts = allowedHosts;
  const orchestrator = asRecord(values.orchestrator);
  if (orchestrator && Array.isArray(orchestrator.channels)) answers.channels = channelsFrom(orchestrator.channels);
  Object.assign(answers, accountListsFrom(values, profile));
  return answers as PartialAnswers;
}

// ---- writing answers into a document ----

type Path = Array<string | number>;

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Replaces aliases along `path` by copies of what they point at, so a change below them does
 * not leak into the anchor's other users (and so setIn does not throw).
 */
function unaliasPath(doc: Document, path: Path): void {
  let parent: unknown = doc.contents;
  for (const key of path) {
    if (!isCollection(parent)) return;
    const child = parent.get(key, true) as Node | undefined;
    if (child === undefined) return;
    if (isAlias(child)) {
      const target = child.resolve(doc);
      if (!target) return;
      const copy = target.clone() as Node;
      if ('anchor' in copy) (copy as { anchor?: string }).anchor = undefined;
      parent.set(key, copy);
      parent = copy;
    } else {
      parent = child;
    }
  }
}

/**
 * Like doc.setIn, but missing maps are created as plain maps: in YAML 1.1 mode doc.setIn
 * builds them from JS Maps, which become !!omap collections.
 */
function setPath(doc: Document, path: Path, value: unknown): void {
  let node: unknown = doc.contents;
  for (const key of path.slice(0, -1)) {
    if (!isCollection(node)) throw new Error(`not a collection before ${String(key)}`);
    let child: unknown = node.get(key, true);
    if (!isCollection(child)) {
      child = doc.createNode({});
      node.set(key, child as never);
    }
    node = child;
  }
  if (!isCollection(node)) throw new Error('not a collection');
  node.set(path[path.length - 1], (value instanceof YAMLSeq ? value : doc.createNode(value)) as never);
}

/** Whether a reader other than this document's would not take the plain text as a string. */
function misreadPlain(doc: Document, text: string): boolean {
  const readers = [...doc.schema.tags, ...(doc.schema.compat ?? [])];
  return readers.some((t) => t.default === true && t.tag !== 'tag:yaml.org,2002:str' && (t as ScalarTag).test?.test(text));
}

/** Sets a managed value only when it differs from `now`, so untouched keys keep their exact text. */
function setValue(doc: Document, path: Path, value: unknown, now: unknown): boolean {
  if (deepEqual(now, value)) {
    // Already right for YAML 1.1, but plain text that helm reads as a number: quote it.
    const node = doc.getIn(path, true);
    if (typeof value === 'string' && isScalar(node) && node.type === Scalar.PLAIN && misreadPlain(doc, value)) {
      node.type = Scalar.QUOTE_DOUBLE;
      return true;
    }
    return false;
  }
  unaliasPath(doc, path.slice(0, -1));
  const parentPath = path.slice(0, -1);
  const parentNode = parentPath.length ? doc.getIn(parentPath, true) : doc.contents;
  if (parentNode !== undefined && parentNode !== null && !isCollection(parentNode)) {
    // A scalar (e.g. `tls: null`) where a map must be: replace it by the map.
    setPath(doc, parentPath, {});
  }
  const existing = doc.getIn(path, true);
  if (isScalar(existing) && (value === null || typeof value !== 'object')) {
    existing.value = value;
    existing.source = undefined;
    existing.format = undefined;
    // A style chosen for the old value may not fit the new one (e.g. a quoted number).
    if (typeof value !== 'string') existing.type = undefined;
    return true;
  }
  setPath(doc, path, value);
  return true;
}

function ensureSeq(doc: Document, path: Path): YAMLSeq {
  unaliasPath(doc, path);
  const node = doc.getIn(path, true);
  if (isSeq(node)) return node;
  const seq = new YAMLSeq();
  unaliasPath(doc, path.slice(0, -1));
  setPath(doc, path, seq);
  return seq;
}

const valueName = (entry: unknown, oneKey: boolean): string | undefined => {
  const r = asRecord(entry);
  if (!r) return undefined;
  if (oneKey) return Object.keys(r)[0];
  return typeof r.name === 'string' ? r.name : undefined;
};

const entryName = (item: unknown, oneKey: boolean): string | undefined => {
  if (!isMap(item)) return undefined;
  if (oneKey) {
    const key = item.items[0]?.key;
    return isScalar(key) ? String(key.value) : undefined;
  }
  const name = item.get('name');
  return typeof name === 'string' ? name : undefined;
};

/**
 * Brings a list of named entries to `wanted`: entries keep their place and comments, fields
 * change only where they differ, missing entries are removed, new ones appended; entries
 * whose name cannot be read are left as they are.
 */
function syncNamedList(
  doc: Document,
  path: Path,
  wanted: Array<{ name: string; fields: Record<string, unknown> }>,
  oneKey: boolean,
  current: ValuesLike,
  dropFields: readonly string[] = [],
): boolean {
  const now = valueAt(current, path);
  const existingList = Array.isArray(now) ? now : undefined;
  if (wanted.length === 0 && existingList === undefined) return false;
  let changed = false;
  const seq = ensureSeq(doc, path);
  const wantedNames = new Set(wanted.map((w) => w.name));
  for (let i = seq.items.length - 1; i >= 0; i -= 1) {
    let item = seq.items[i];
    if (isAlias(item)) {
      item = (item.resolve(doc) as Node | undefined)?.clone() as Node | undefined;
      if (item) seq.items[i] = item;
    }
    const name = entryName(item, oneKey);
    // An entry without a readable name was never an answer, so it is not the operator's to
    // lose: it stays for validation to name (a string where a map must be, a number as name).
    if (name !== undefined && !wantedNames.has(name)) {
      seq.items.splice(i, 1);
      changed = true;
    }
  }
  for (const w of wanted) {
    const index = seq.items.findIndex((item) => entryName(item, oneKey) === w.name);
    if (index === -1) {
      const node = doc.createNode(oneKey ? { [w.name]: w.fields } : { name: w.name, ...w.fields });
      if (seq.flow) (node as YAMLMap).flow = true;
      seq.items.push(node);
      changed = true;
      continue;
    }
    const item = seq.items[index];
    for (const field of dropFields) {
      if (isMap(item) && item.has(field)) {
        item.delete(field);
        changed = true;
      }
    }
    const base = [...path, index, ...(oneKey ? [w.name] : [])];
    // The entry's name as the file spells it: plain text helm would read as a number is quoted.
    const entry = seq.items[index];
    const nameNode = isMap(entry) ? (oneKey ? entry.items[0]?.key : entry.get('name', true)) : undefined;
    if (isScalar(nameNode) && nameNode.type === Scalar.PLAIN && misreadPlain(doc, w.name)) {
      nameNode.type = Scalar.QUOTE_DOUBLE;
      changed = true;
    }
    const existingEntry = existingList?.find((e) => valueName(e, oneKey) === w.name);
    const entryValues = asRecord(oneKey ? asRecord(existingEntry)?.[w.name] : existingEntry);
    for (const [field, value] of Object.entries(w.fields)) {
      if (value === undefined) continue;
      const cur = entryValues?.[field];
      if (value !== null && typeof value === 'object') {
        for (const [sub, subValue] of Object.entries(value)) {
          changed = setValue(doc, [...base, field, sub], subValue, asRecord(cur)?.[sub]) || changed;
        }
      } else {
        changed = setValue(doc, [...base, field], value, cur) || changed;
      }
    }
  }
  return changed;
}

/** config.ALLOWED_HOSTS: a string holding a JSON list (the chart passes it to Django as is). */
const ALLOWED_HOSTS_PATH = ['config', 'ALLOWED_HOSTS'];

/** The JSON text of a list, spaced as the value it replaces (`", "` or `","`). */
export function jsonListText(list: string[], current: unknown): string {
  const spaced = typeof current === 'string' && /",\s/.test(current);
  return `[${list.map((h) => JSON.stringify(h)).join(spaced ? ', ' : ',')}]`;
}

/**
 * HTTPS for the ingress host: the chart copies server.ingress.extraTls into the Ingress as it
 * is, so the entry for the host names the TLS Secret (one cert-manager fills, or an existing one).
 */
function setIngressTls(doc: Document, a: Answers, current: ValuesLike): boolean {
  if (!a.tlsSecret) return false;
  const path = ['server', 'ingress', 'extraTls'];
  const list = valueAt(current, path);
  const entries = Array.isArray(list) ? (list as Array<{ hosts?: unknown; secretName?: unknown }>) : [];
  const at = entries.findIndex((t) => Array.isArray(t?.hosts) && t.hosts.includes(a.hostname));
  if (at === -1) {
    const seq = ensureSeq(doc, path);
    seq.items.push(doc.createNode({ hosts: [a.hostname], secretName: a.tlsSecret }) as never);
    return true;
  }
  return setValue(doc, [...path, at, 'secretName'], a.tlsSecret, entries[at]?.secretName);
}

/** The guide's layout: the order settings are written in, so a new file reads top to bottom. */
const LAYOUT: Array<ScalarKey | 'allowedHosts' | 'channels'> = [
  'organization', 'allowedHosts', 'defaultDomain', 'hostDomain', 'ingress', 'hostname', 'ingressClass', 'uploadSize', 'clusterIssuer', 'tlsSecret',
  'orchestratorHost', 'orchestratorPort', 'mspId', 'sameCluster', 'channels', 'tls', 'caCertName', 'mtls', 'clientCertSecret',
];

const accountFields = (a: AccountAnswer, withChannel: boolean): Record<string, unknown> => {
  const fields: Record<string, unknown> = { secret: a.secret };
  if (withChannel && a.channel !== undefined) fields.channel = a.channel;
  return fields;
};

/**
 * Writes every managed setting into the document, leaving all else as it was. `leaveOut`:
 * settings an existing file does not have and this run only defaulted: the chart's own default
 * keeps applying to them. Returns whether anything changed.
 */
export function applyAnswers(doc: Document, a: Answers, profile: ChartProfile, leaveOut: ReadonlySet<string> = new Set()): boolean {
  if (doc.contents === null || doc.contents === undefined) doc.contents = doc.createNode({}) as never;
  const current = documentValues(doc);
  let changed = false;
  const set = (path: Path, value: unknown) => {
    changed = setValue(doc, path, value, valueAt(current, path)) || changed;
  };
  for (const key of LAYOUT) {
    if (leaveOut.has(key)) continue;
    if (key === 'allowedHosts') {
      const now = valueAt(current, ALLOWED_HOSTS_PATH);
      // The same list keeps the file's own spelling of it.
      if (JSON.stringify(jsonStringList(now)) !== JSON.stringify(a.allowedHosts)) set(ALLOWED_HOSTS_PATH, jsonListText(a.allowedHosts, now));
    } else if (key === 'channels') {
      changed = syncNamedList(
        doc,
        ['orchestrator', 'channels'],
        a.channels.map((c) => ({
          name: c.name,
          fields: { restricted: c.restricted, model_export_enabled: c.modelExport, chaincode: c.chaincode === undefined ? undefined : { name: c.chaincode } },
        })),
        true,
        current,
      ) || changed;
    } else if (key === 'tlsSecret') {
      changed = setIngressTls(doc, a, current) || changed;
    } else {
      const setting = settingFor(key);
      // A port the file spells as a string ("443") that reads as the answer is that answer.
      if (setting.type === 'port' && typeof valueAt(current, setting.path ?? []) === 'string' && readSetting(setting, current) === a[key]) continue;
      // mTLS is written as asked even without TLS, so validation can say what the chart does.
      if (setting.path && a[key] !== undefined && (setting.writtenWhen?.(a) ?? true)) set([...setting.path], a[key]);
    }
  }

  changed = setAccountLists(doc, profile, { users: a.users, incoming: a.incoming, outgoing: a.outgoing }, current) || changed;
  return changed;
}

/**
 * Brings the account lists given (users, incoming, outgoing) to exactly these entries, in
 * place, keeping comments; lists not given are left alone. Returns whether anything changed.
 */
export function setAccountLists(
  doc: Document,
  profile: ChartProfile,
  lists: Partial<Record<AccountKind, AccountAnswer[]>>,
  current: ValuesLike = documentValues(doc),
): boolean {
  if (doc.contents === null || doc.contents === undefined) doc.contents = doc.createNode({}) as never;
  const keys: Record<AccountKind, [string, boolean]> = {
    users: ['users', true],
    incoming: [profile.incomingKey, false],
    outgoing: [profile.outgoingKey, false],
  };
  let changed = false;
  for (const kind of ['users', 'incoming', 'outgoing'] as const) {
    const list = lists[kind];
    if (!list) continue;
    const [key, withChannel] = keys[kind];
    changed =
      syncNamedList(
        doc,
        ['addAccountOperator', key],
        list.map((acc) => ({ name: acc.name, fields: accountFields(acc, withChannel) })),
        false,
        current,
        // A channel on a link entry becomes the secret the backend reads (see linkEntryRepairs).
        withChannel ? [] : ['channel'],
      ) || changed;
  }
  return changed;
}

/**
 * Secrets mode (chart 26.8.0+): the values file names the Secret and holds no account, so it
 * can be committed. The lists move to the credentials file; here they are only removed.
 */
export function useExistingSecret(doc: Document, profile: ChartProfile, secretName: string | undefined): boolean {
  let changed = false;
  const current = documentValues(doc);
  const accounts = asRecord(current.addAccountOperator);
  if (secretName) {
    for (const key of ['users', profile.incomingKey, profile.outgoingKey]) {
      if (accounts && key in accounts) {
        unaliasPath(doc, ['addAccountOperator']);
        doc.deleteIn(['addAccountOperator', key]);
        changed = true;
      }
    }
    return setValue(doc, ['addAccountOperator', 'existingSecret'], secretName, accounts?.existingSecret) || changed;
  }
  if (accounts && typeof accounts.existingSecret === 'string' && accounts.existingSecret !== '') {
    unaliasPath(doc, ['addAccountOperator']);
    doc.deleteIn(['addAccountOperator', 'existingSecret']);
    changed = true;
  }
  return changed;
}

/**
 * Entries of the account lists that are not read as accounts (no map with a string name):
 * moving the lists to a credentials file would lose them, so that move is refused.
 */
export function strandedAccountEntries(values: ValuesLike, profile: Pick<ChartProfile, 'incomingKey' | 'outgoingKey'>): Issue[] {
  const accounts = asRecord(values.addAccountOperator);
  const stranded: Issue[] = [];
  for (const key of ['users', profile.incomingKey, profile.outgoingKey]) {
    const list = accounts?.[key];
    if (!Array.isArray(list)) continue;
    list.forEach((entry, index) => {
      if (typeof asRecord(entry)?.name === 'string') return;
      stranded.push({
        path: `addAccountOperator.${key}[${index}]`,
        message: 'has no name substra-deploy can read (a map with name: …), so it cannot move to the credentials file; fix or remove it first',
      });
    });
  }
  return stranded;
}

/** Reads the three account lists of a values (or credentials) document. */
export function accountListsFrom(values: ValuesLike, profile: Pick<ChartProfile, 'incomingKey' | 'outgoingKey'>): Record<AccountKind, AccountAnswer[]> {
  const accounts = asRecord(values.addAccountOperator) ?? {};
  return {
    users: accountsFrom(accounts.users, true),
    incoming: accountsFrom(accounts[profile.incomingKey], false),
    outgoing: accountsFrom(accounts[profile.outgoingKey], false),
  };
}

/**
 * Writing the account lists drops a `channel` from link entries (see linkEntriesWithChannel);
 * this says which entries that repairs, for the run's report.
 */
export function linkEntryRepairs(values: ValuesLike, profile: ChartProfile): Issue[] {
  return linkEntriesWithChannel(values, profile).map(({ key, index, name, channel }) => ({
    path: `addAccountOperator.${key}[${index}].channel`,
    message: `removed: a link entry is {name, secret}; with a channel the backend took "${String(channel)}" as the secret of ${typeof name === 'string' ? `"${name}"` : 'this entry'}, so its calls were refused`,
  }));
}

/**
 * What writing the document will change, secrets masked: the changed lines with context for a
 * document read from a file, the whole text for a new one.
 */
export function pendingChanges(doc: Document, profile: ChartProfile): { whole: boolean; lines: string[] } {
  const after = maskedDocument(doc, profile);
  const original = layouts.get(doc)?.parsed;
  if (original === undefined) return { whole: true, lines: after.replace(/\n$/, '').split('\n') };
  const before = maskedDocument(parseDocument(original, YAML_OPTIONS), profile);
  return { whole: false, lines: changedLinesView(before, after) };
}

/** Keys whose values are secrets wherever they sit (the accounts' `secret`, a database password). */
export const SECRET_KEY = /^secret$|pass(?:word|wd)|token|secret_?key/i;

/**
 * A copy of the document's text with every secret replaced by ***: the accounts' secrets and
 * any value under a password-like key, also when an alias points at it (the anchor is masked).
 */
export function maskedDocument(doc: Document, profile: ChartProfile): string {
  const copy = doc.clone();
  const mask = (node: unknown) => {
    const target = isAlias(node) ? node.resolve(copy) : node;
    if (isScalar(target) && target.value !== null && target.value !== '') {
      target.value = '***';
      target.source = undefined;
      target.type = Scalar.QUOTE_DOUBLE;
    }
  };
  for (const key of ['users', profile.incomingKey, profile.outgoingKey]) {
    const seq = copy.getIn(['addAccountOperator', key], true);
    if (!isSeq(seq)) continue;
    for (const item of seq.items) {
      const node = isAlias(item) ? item.resolve(copy) : item;
      if (isMap(node)) mask(node.get('secret', true));
    }
  }
  visit(copy, {
    Pair(_, pair) {
      if (isScalar(pair.key) && typeof pair.key.value === 'string' && SECRET_KEY.test(pair.key.value)) mask(pair.value);
    },
  });
  return renderDocument(copy);
}

export function holdsSecrets(values: ValuesLike, profile: ChartProfile): boolean {
  const accounts = asRecord(values.addAccountOperator);
  if (!accounts) return false;
  return ['users', profile.incomingKey, profile.outgoingKey].some(
    (key) => Array.isArray(accounts[key]) && (accounts[key] as unknown[]).some((e) => typeof asRecord(e)?.secret === 'string' && asRecord(e)?.secret !== ''),
  );
}

// ---- moving values between paths (chart migrations) ----

/** Removes maps left empty on `path` by taking their last key away (their comments go too). */
function pruneEmptyParents(doc: Document, path: Path): void {
  for (let depth = path.length; depth > 0; depth -= 1) {
    const parentPath = path.slice(0, depth);
    const node = doc.getIn(parentPath, true);
    if (!isMap(node) || node.items.length > 0) return;
    doc.deleteIn(parentPath);
  }
}

/** Moves the node at `from` to `to` as it is (comments, style), creating maps on the way. */
export function moveNode(doc: Document, from: Path, to: Path): void {
  unaliasPath(doc, from);
  const node = doc.getIn(from, true) as Node | undefined;
  if (node === undefined) return;
  doc.deleteIn(from);
  pruneEmptyParents(doc, from.slice(0, -1));
  unaliasPath(doc, to.slice(0, -1));
  setPath(doc, to, node);
}

export function removeNode(doc: Document, path: Path): void {
  unaliasPath(doc, path.slice(0, -1));
  doc.deleteIn(path);
  pruneEmptyParents(doc, path.slice(0, -1));
}

/** Sets a plain value at `path`, creating maps on the way. */
export function setNodeAt(doc: Document, path: Path, value: unknown): void {
  unaliasPath(doc, path.slice(0, -1));
  setPath(doc, path, value);
}

/**
 * Sets a value at `path` only when the document holds another, creating maps on the way: an
 * unchanged value keeps its exact text. Returns whether anything changed.
 */
export function setValueAt(doc: Document, path: Path, value: unknown): boolean {
  if (doc.contents === null || doc.contents === undefined) doc.contents = doc.createNode({}) as never;
  return setValue(doc, path, value, valueAt(documentValues(doc), path));
}
