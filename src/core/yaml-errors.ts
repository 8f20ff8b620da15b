import { Parser } from 'yaml';

/**
 * YAML errors as an operator can act on them: `file:line:col: …` at the place to fix, then that
 * line of the file with a caret under the column.
 */

/** Keys whose values must never be echoed, even from a file that does not parse. */
const SECRET_VALUE = /((?:^|[\s{,-])["']?[\w.-]*(?:secret|password|passwd|token)[\w.-]*["']?[ \t]*:[ \t]*)("(?:[^"\\]|\\.)*"?|'(?:[^']|'')*'?|[^\s,}\]#][^,}\]#]*)/gi;

const WIDTH = 120;

/**
 * An unclosed quote or bracket is noticed only where the file stops making sense — the next key
 * or the end of the file — so such an error is moved back to the quote or bracket that was
 * never closed: the innermost one opened before the place the parser gave.
 */
export function unclosedOpenerBefore(text: string, offset: number): number | undefined {
  let found: number | undefined;
  const note = (at: number) => {
    if (at <= offset && (found === undefined || at > found)) found = at;
  };
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const token = node as { type?: string; offset?: number; source?: string; start?: { offset: number; source: string }; end?: Array<{ type: string }> };
    if ((token.type === 'double-quoted-scalar' || token.type === 'single-quoted-scalar') && !quoteClosed(token.source ?? '')) note(token.offset ?? 0);
    if (token.type === 'flow-collection' && token.start) {
      const closer = token.start.source === '{' ? 'flow-map-end' : 'flow-seq-end';
      if (!token.end?.some((e) => e.type === closer)) note(token.start.offset);
    }
    for (const value of Object.values(node)) if (value && typeof value === 'object') walk(value);
  };
  for (const token of new Parser().parse(text)) walk(token);
  return found;
}

/** Whether a quoted scalar's source ends with its closing quote (not an escaped one). */
function quoteClosed(source: string): boolean {
  const quote = source[0];
  let i = 1;
  while (i < source.length) {
    const ch = source[i];
    if (quote === '"' && ch === '\\') i += 2;
    else if (quote === "'" && ch === "'" && source[i + 1] === "'") i += 2;
    else if (ch === quote) return i === source.length - 1 || source.slice(i + 1).trim() === '';
    else i += 1;
  }
  return false;
}

/** A secret-like key at the start of a line (after its indentation and any `- `). */
const SECRET_KEY_LINE = /^([ \t]*(?:-[ \t]+)*)["']?[\w.-]*(?:secret|password|passwd|token)[\w.-]*["']?[ \t]*:(?:[ \t]|$)/i;

/** Columns of leading white space, a tab counting to the next multiple of 8 (YAML refuses tabs there). */
function indentOf(line: string): number {
  let width = 0;
  for (const ch of line) {
    if (ch === ' ') width += 1;
    else if (ch === '\t') width = (Math.floor(width / 8) + 1) * 8;
    else break;
  }
  return width;
}

/**
 * Whether line `index` continues the value of a secret-like key above it (a block scalar, a
 * plain or quoted scalar over several lines, or whatever a broken file holds there): a line
 * more indented than that key, with only such lines between.
 */
function continuesSecret(lines: string[], index: number): boolean {
  const own = lines[index] ?? '';
  if (own.trim() === '') return false;
  let indent = indentOf(own);
  for (let j = index - 1; j >= 0; j -= 1) {
    const line = lines[j] as string;
    if (line.trim() === '') continue;
    const lead = indentOf(line);
    if (lead >= indent) continue;
    const key = SECRET_KEY_LINE.exec(line);
    if (key && indentOf(key[1] as string) < indent) return true;
    indent = lead;
    if (indent === 0) return false;
  }
  return false;
}

/** Every line of a secret value in `text`, as written: what no message may repeat. */
function secretValueLines(lines: string[]): string[] {
  const values: string[] = [];
  lines.forEach((line, i) => {
    const key = SECRET_KEY_LINE.exec(line);
    if (key) values.push(line.slice(key[0].length));
    else if (continuesSecret(lines, i)) values.push(line);
  });
  return values;
}

/**
 * The message with every word of a secret value masked: the yaml library quotes the text it
 * stumbled on (a block scalar header `|pass…`, an alias `*pass…`), which may be a password.
 */
export function maskSecretWords(message: string, text: string): string {
  const words = new Set<string>();
  for (const value of secretValueLines(text.split(/\r?\n/))) {
    for (const word of value.split(/[\s,{}[\]]+/)) {
      for (const form of [word, word.replace(/^[*&!|>'"]+/, '').replace(/['"]+$/, '')]) if (form.length >= 4) words.add(form);
    }
  }
  let masked = message;
  for (const word of [...words].sort((a, b) => b.length - a.length)) masked = masked.split(word).join('***');
  return masked;
}

/** The line holding `line` (1-based) with a caret under `col`, secret values masked. */
export function sourceExcerpt(text: string, line: number, col: number): string {
  const lines = text.split(/\r?\n/);
  const own = lines[line - 1] ?? '';
  const raw = continuesSecret(lines, line - 1) ? own.replace(/^([ \t]*)\S.*$/, '$1***') : own.replace(SECRET_VALUE, '$1***');
  // A long line is cut to a window around the column.
  const from = Math.max(0, Math.min(col - 1 - WIDTH / 2, raw.length - WIDTH));
  const shown = `${from > 0 ? '…' : ''}${raw.slice(from, from + WIDTH)}${raw.length > from + WIDTH ? '…' : ''}`;
  const before = `${from > 0 ? '…' : ''}${raw.slice(from, col - 1)}`.replace(/[^\t]/g, ' ');
  const gutter = String(line);
  return `  ${gutter} | ${shown}\n  ${' '.repeat(gutter.length)} | ${before}^`;
}

/** `file:line:col: <kind>: message`, then the line of the file that holds the problem. */
export function locatedYamlError(text: string, file: string, offset: number, kind: string, message: string): string {
  const at = kind === 'YAML syntax error' ? (unclosedOpenerBefore(text, offset) ?? offset) : offset;
  const { line, col } = linePos(text, at);
  return `${file}:${line}:${col}: ${kind}: ${maskSecretWords(message, text)}\n${sourceExcerpt(text, line, col)}`;
}

function linePos(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}
