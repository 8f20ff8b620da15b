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

/** The line holding `line` (1-based) with a caret under `col`, secret values masked. */
export function sourceExcerpt(text: string, line: number, col: number): string {
  const raw = (text.split(/\r?\n/)[line - 1] ?? '').replace(SECRET_VALUE, '$1***');
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
  return `${file}:${line}:${col}: ${kind}: ${message}\n${sourceExcerpt(text, line, col)}`;
}

function linePos(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}
