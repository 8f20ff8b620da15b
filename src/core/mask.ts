/**
 * What a failing helm or kubectl may print is the object it was given: a Secret's data
 * (base64), a values line, a private key. Everything secret is masked in every form it can
 * take there before any of it is shown, in text or in --json.
 */
export const MASK = '***';

/** Shorter base64 fragments would mask ordinary words; such short secrets are masked plain only. */
const MIN_FRAGMENT = 8;

/**
 * The base64 text that a secret becomes inside any longer encoded value, for each of the three
 * byte alignments it can start at: the characters that depend on the secret's bytes alone.
 */
export function base64Alignments(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const fragments: string[] = [];
  for (let shift = 0; shift < 3; shift += 1) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    const fragment = encoded.slice(Math.ceil((shift * 8) / 6), Math.floor(((shift + bytes.length) * 8) / 6));
    if (fragment.length >= MIN_FRAGMENT) fragments.push(fragment);
  }
  return fragments;
}

/**
 * A secret as it may appear: as is, escaped in JSON (once, or twice as in an annotation holding
 * JSON), single-quoted in YAML, URL-encoded, and base64-encoded at any alignment.
 */
export function secretForms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  return [secret, json, JSON.stringify(json).slice(1, -1), secret.replace(/'/g, "''"), encodeURIComponent(secret), ...base64Alignments(secret)];
}

/**
 * The values under password-like keys anywhere in a values file (a database password the
 * tool does not manage, say): a failing helm may quote them, and a chart renders them.
 */
export function secretValuesIn(values: unknown, secretKey: RegExp): string[] {
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (secretKey.test(key) && (typeof value === 'string' || typeof value === 'number')) found.push(String(value));
        else visit(value);
      }
    }
  };
  visit(values);
  return found;
}

/** A whole value a tool encoded (a Secret's data value, a key file): its base64, as kubectl writes it. */
export function encodedValueForms(value: string): string[] {
  const encoded = Buffer.from(value, 'utf8').toString('base64');
  return encoded.length >= MIN_FRAGMENT ? [encoded, ...secretForms(value)] : secretForms(value);
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

/** A PEM file holding a private key: each block, its body lines and the body on one line, in every form. */
export function pemForms(pem: string): string[] {
  const forms = encodedValueForms(pem);
  for (const match of pem.matchAll(PEM_BLOCK)) {
    forms.push(match[0]);
    const lines = (match[2] as string).split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length >= MIN_FRAGMENT && !l.includes(':'));
    forms.push(lines.join(''));
    for (const line of lines) forms.push(...secretForms(line));
  }
  return forms;
}

/**
 * Base64 text, also wrapped over several lines (`base64` wraps at 76 columns, indented or not;
 * a line continues a run only if it holds nothing else):
 * a tool may print the object it was given encoded whole, which encodes its data a second time.
 */
const BASE64_RUN = /[A-Za-z0-9+/]{8,}={0,2}(?:\r?\n[ \t]*[A-Za-z0-9+/]{4,}={0,2}(?=\r?\n|$))*/g;

/** The run decoded from each of its four character offsets (it may start mid-group). */
function decodings(run: string): string[] {
  const compact = run.replace(/\s+/g, '');
  return [0, 1, 2, 3].map((k) => Buffer.from(compact.slice(k), 'base64').toString('latin1'));
}

/** Text a person could read (a decoding at the wrong offset is mostly control bytes). */
function readable(text: string): boolean {
  let odd = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || (c >= 0x7f && c < 0xa0)) odd += 1;
  }
  return odd <= text.length / 20;
}

/**
 * Replaces every form given by ***, the longest first so that no part of one survives; and
 * first every base64 run (wrapped or not) that decodes, once or twice, to text holding one:
 * a fragment cut by a line break, or encoded twice, matches no form as is.
 */
export function secretMasker(forms: string[]): (text: string) => string {
  const patterns = [...new Set(forms.filter((f) => f.length >= 4))].sort((a, b) => b.length - a.length);
  const plain = (text: string) => patterns.reduce((t, p) => (t.includes(p) ? t.split(p).join(MASK) : t), text);
  const holds = (text: string, depth: number): boolean =>
    patterns.some((p) => text.includes(p)) || (depth > 0 && readable(text) && [...text.matchAll(BASE64_RUN)].some(([run]) => decodings(run).some((d) => holds(d, depth - 1))));
  return (text) => plain(text.replace(BASE64_RUN, (run) => (decodings(run).some((d) => holds(d, 1)) ? MASK : run)));
}

/**
 * A URL as given on the command line, with whatever sits before an `@` of its authority (a
 * user name and password) replaced by ***: also for text that is not a URL at all, so an error
 * about it can quote it.
 */
export function urlWithoutCredentials(raw: string): string {
  const start = raw.indexOf('//') === -1 ? 0 : raw.indexOf('//') + 2;
  const at = raw.lastIndexOf('@');
  return at < start ? raw : `${raw.slice(0, start)}${MASK}${raw.slice(at)}`;
}
