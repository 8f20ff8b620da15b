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

/** A secret as it may appear: as is, escaped in JSON, and base64-encoded at any alignment. */
export function secretForms(secret: string): string[] {
  return [secret, JSON.stringify(secret).slice(1, -1), ...base64Alignments(secret)];
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

/** Replaces every form given by ***, the longest first so that no part of one survives. */
export function secretMasker(forms: string[]): (text: string) => string {
  const patterns = [...new Set(forms.filter((f) => f.length >= 4))].sort((a, b) => b.length - a.length);
  return (text) => patterns.reduce((t, p) => (t.includes(p) ? t.split(p).join(MASK) : t), text);
}
