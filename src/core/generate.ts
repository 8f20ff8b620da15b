import { randomInt } from 'node:crypto';

// Letters and digits only: nothing YAML, a shell or the add-account Job could misread.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
export const GENERATED_LENGTH = 32;

/**
 * A random secret well inside the backend's policy: 32 characters from 57 symbols is about
 * 186 bits, far above zxcvbn's score-3 bound, and at most 64 characters.
 */
const generatedHere = new Set<string>();

/**
 * Whether this process generated `secret`. Such a secret needs no strength check: 186 random
 * bits are far beyond zxcvbn's score 4, so checking it would only cost the dictionary load.
 */
export function wasGeneratedHere(secret: string): boolean {
  return generatedHere.has(secret);
}

export function generateSecret(length = GENERATED_LENGTH): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += ALPHABET[randomInt(ALPHABET.length)];
  // Never entirely numeric, never without a digit: cheap guarantees the policy tests rely on.
  if (!/\d/.test(out) || /^\d+$/.test(out)) return generateSecret(length);
  generatedHere.add(out);
  return out;
}
