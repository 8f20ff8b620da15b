import { createRequire } from 'node:module';

/**
 * The backend's real password policy (Django validators of its prod settings). A user whose
 * password fails it is silently not created by the chart's add-account Job, so every rule
 * here mirrors one of those validators exactly.
 */
export type SettingsMode = 'prod' | 'dev';

export const PASSWORD_MAX_LENGTH = 64;
export const MIN_ZXCVBN_SCORE = 3;
const MAX_SIMILARITY = 0.7;

export function passwordMinLength(mode: SettingsMode): number {
  return mode === 'dev' ? 9 : 20;
}

type Zxcvbn = (password: string, userInputs?: string[]) => Strength;
interface Strength {
  score: number;
  feedback: { warning: string };
}
interface PasswordLibrary {
  zxcvbn: Zxcvbn;
  /** zxcvbn's own list of 30,000 common passwords */
  commonPasswords: { has(word: string): boolean };
}

let library: PasswordLibrary | undefined;

/** What src/core/password.ts needs of zxcvbn: its scorer, and two of the modules behind it. */
interface ZxcvbnModules {
  zxcvbn: Zxcvbn;
  scoring: { REFERENCE_YEAR: number };
  commonPasswords: PasswordLibrary['commonPasswords'];
}

/**
 * The bundle's zxcvbn, beside it (dist/zxcvbn.cjs, which scripts/build.mjs makes with
 * dictionaries built at build time and the same scores), loaded with the code cache the build
 * made for it (src/code-cache.ts); running from sources, node_modules' own, whose list is
 * searched as it is (a Set of 30,000 entries costs more to build than a run's lookups).
 */
function requireZxcvbn(): ZxcvbnModules {
  const require = createRequire(import.meta.url);
  try {
    const { loadBundle } = require('./code-cache.cjs') as { loadBundle(file: string): { exports: unknown } };
    return loadBundle(require.resolve('./zxcvbn.cjs')).exports as ZxcvbnModules;
  } catch (error) {
    if ((error as { code?: string }).code !== 'MODULE_NOT_FOUND') throw error;
  }
  return {
    zxcvbn: require('zxcvbn') as Zxcvbn,
    scoring: require('zxcvbn/lib/scoring') as ZxcvbnModules['scoring'],
    commonPasswords: { has: (word) => (require('zxcvbn/lib/frequency_lists') as { passwords: string[] }).passwords.includes(word) },
  };
}

/** zxcvbn is large: it is loaded on the first password check only. */
function loadLibrary(): PasswordLibrary {
  if (library) return library;
  const { zxcvbn, scoring, commonPasswords } = requireZxcvbn();
  // The backend pins Python zxcvbn 4.4.28, whose date scoring counts years from 2017; the npm
  // port counts from the current year, which changes scores of passwords holding a year.
  scoring.REFERENCE_YEAR = 2017;
  library = { zxcvbn, commonPasswords };
  return library;
}

/**
 * The entries of Django's common-password list (CommonPasswordValidator, which the backend
 * uses) that are long enough to pass the prod length rule. The validator compares
 * `password.lower().strip()`, so case and surrounding spaces do not help.
 */
export const DJANGO_COMMON_LONG_PASSWORDS = [
  'doomsayer.2.7mords.v',
  'doomsayer.2.7mords.vv',
  'q1w2e3r4t5y6u7i8o9p0',
  '1q2w3e4r5t6y7u8i9o0p',
  '12345678901234567890',
  '12345678900987654321',
  '1234567890qwertyuiop',
];

export function isDjangoCommonLongPassword(password: string): boolean {
  return DJANGO_COMMON_LONG_PASSWORDS.includes(password.toLowerCase().trim());
}

/** Multiset intersection size, case-insensitive: what difflib's quick_ratio counts. */
function sharedCharacterCount(a: string, b: string): number {
  const counts = new Map<string, number>();
  for (const ch of b) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let shared = 0;
  for (const ch of a) {
    const left = counts.get(ch) ?? 0;
    if (left > 0) {
      shared += 1;
      counts.set(ch, left - 1);
    }
  }
  return shared;
}

/** Django's UserAttributeSimilarityValidator against the user name (quick_ratio ≥ 0.7). */
export function isTooSimilarToUserName(password: string, userName: string): boolean {
  if (!userName) return false;
  const lower = password.toLowerCase();
  const name = userName.toLowerCase();
  const parts = [...name.split(/[^\p{L}\p{N}_]+/u), name];
  for (const part of parts) {
    if (!part) continue;
    const pwLength = [...lower].length;
    const partLength = [...part].length;
    // Django skips parts too short to matter against a long password.
    if (pwLength >= 10 * partLength && partLength < (MAX_SIMILARITY / 2) * pwLength) continue;
    const ratio = (2 * sharedCharacterCount(lower, part)) / (pwLength + partLength);
    if (ratio >= MAX_SIMILARITY) return true;
  }
  return false;
}

/**
 * Every reason the backend would refuse this password; empty when it is accepted.
 * `strengthKnown`: a secret this tool generated, so zxcvbn and the common list are skipped.
 */
export function passwordProblems(password: string, userName: string, mode: SettingsMode, strengthKnown = false): string[] {
  const problems: string[] = [];
  // zxcvbn's matching grows much faster than the length (1,000 characters took 23 s): a
  // password the length rule refuses anyway is never handed to it, nor to the other rules.
  if (password.length > PASSWORD_MAX_LENGTH * 2) return [`must be at most ${PASSWORD_MAX_LENGTH} characters (it has ${[...password].length})`];
  const length = [...password].length;
  const min = passwordMinLength(mode);
  if (length < min) problems.push(`must be at least ${min} characters (it has ${length})`);
  if (length > PASSWORD_MAX_LENGTH) problems.push(`must be at most ${PASSWORD_MAX_LENGTH} characters (it has ${length})`);
  // Python's str.isdigit(), which Django uses, counts every Unicode digit, not only 0-9.
  if (/^[\p{Nd}\p{No}]+$/u.test(password)) problems.push('must not be entirely numeric');
  if (isTooSimilarToUserName(password, userName)) problems.push(`is too similar to the user name "${userName}"`);
  const djangoCommon = isDjangoCommonLongPassword(password);
  if (djangoCommon) problems.push("is on Django's common-password list, which the backend checks in any letter case and with spaces trimmed");
  if ((problems.length > 0 && length < min) || length > PASSWORD_MAX_LENGTH || strengthKnown) return problems;
  const { zxcvbn, commonPasswords } = loadLibrary();
  // Shorter entries of Django's list (dev mode) are approximated by zxcvbn's own list.
  if (!djangoCommon && commonPasswords.has(password.toLowerCase().trim())) problems.push('is a common password');
  const result = zxcvbn(password, [userName]);
  if (result.score < MIN_ZXCVBN_SCORE) {
    const why = result.feedback.warning ? ` (${result.feedback.warning.replace(/\.$/, '')})` : '';
    problems.push(`is too easy to guess: strength ${result.score}/4, the backend needs ${MIN_ZXCVBN_SCORE}${why}`);
  }
  return problems;
}

/** Loads zxcvbn now (the password worker does as it starts), so its first batch is quick. */
export function warmPasswordLibrary(): void {
  loadLibrary();
}

export function passwordLibraryLoaded(): boolean {
  return library !== undefined;
}

export interface PasswordCheck {
  password: string;
  userName: string;
  mode: SettingsMode;
  /** generated by this process: no strength check needed */
  strengthKnown?: boolean;
}

/** Runs password checks, in order; the CLI passes one that spreads them over worker threads. */
export type PasswordChecker = (checks: PasswordCheck[]) => Promise<string[][]>;

export const checkPasswordsInProcess: PasswordChecker = async (checks) =>
  checks.map((c) => passwordProblems(c.password, c.userName, c.mode, c.strengthKnown));

