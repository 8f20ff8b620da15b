import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a build script in plain JavaScript, without types
import { rankedGroups, withPrebuiltDictionaries } from '../../scripts/zxcvbn-dictionaries.mjs';
import { baseEnv, GUIDE_ENV, GUIDE_FLAGS, ROOT, runCli, tempDir } from '../helpers/cli.js';

interface ZxcvbnResult {
  calc_time: number;
  [key: string]: unknown;
}

interface ZxcvbnModules {
  zxcvbn: (password: string, userInputs?: unknown[]) => ZxcvbnResult;
  scoring: { REFERENCE_YEAR: number };
  matching: { omnimatch: (password: string) => Array<Record<string, unknown>> };
}

const require = createRequire(import.meta.url);
/** node_modules' zxcvbn, as published. */
const published: ZxcvbnModules = {
  zxcvbn: require('zxcvbn'),
  scoring: require('zxcvbn/lib/scoring'),
  matching: require('zxcvbn/lib/matching'),
};
const frequencyLists = require('zxcvbn/lib/frequency_lists') as Record<string, string[]>;
/** The copy the CLI runs (written by scripts/build.mjs, which `npm test` runs first). */
const bundled = require(path.join(ROOT, 'dist', 'zxcvbn.cjs')) as ZxcvbnModules & { commonPasswords: { has(word: string): boolean } };
/** scripts/zxcvbn-ranked-words.cjs, which the bundle holds. */
const { RankedWords } = require('../../scripts/zxcvbn-ranked-words.cjs') as {
  RankedWords: new (groups: unknown) => { rank(word: string): number; has(word: string): boolean; get(word: string): unknown };
};

/** A small deterministic generator (mulberry32): the same corpus on every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Passwords meant to reach every matcher and every way a dictionary is read: entries of each
 * of zxcvbn's lists at every range of rank, with case changes, reversed, in l33t, with digits,
 * years and each other; dates; keyboard walks; repeats and sequences; random strings; and the
 * names every plain object inherits ("constructor", "__proto__"), which the published zxcvbn
 * finds in every dictionary. Each comes with user inputs of the kinds zxcvbn takes.
 */
function corpus(): Array<{ password: string; userInputs: unknown[] }> {
  const random = seeded(11);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const int = (n: number) => Math.floor(random() * n);
  const lists = frequencyLists;
  const words: string[] = [];
  for (const list of Object.values(lists)) {
    for (let rank = 0; rank < 12; rank += 1) words.push(list[rank] as string);
    for (let k = 0; k < 40; k += 1) words.push(list[int(list.length)] as string);
    words.push(list[list.length - 1] as string);
  }
  const l33t: Record<string, string[]> = { a: ['4', '@'], b: ['8'], c: ['(', '{', '[', '<'], e: ['3'], g: ['6', '9'], i: ['1', '!', '|'], l: ['1', '|', '7'], o: ['0'], s: ['$', '5'], t: ['+', '7'], x: ['%'], z: ['2'] };
  const leet = (w: string, share: number) => [...w].map((c) => (l33t[c] && random() < share ? pick(l33t[c]) : c)).join('');
  const reverse = (w: string) => [...w].reverse().join('');
  const capitalize = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
  const mixedCase = (w: string) => [...w].map((c) => (random() < 0.4 ? c.toUpperCase() : c)).join('');
  const year = () => String(1900 + int(150));
  const date = () => {
    const [d, m, y] = [1 + int(31), 1 + int(12), 1950 + int(80)];
    const pad = (n: number) => String(n).padStart(2, '0');
    const sep = pick(['', '/', '-', '.', '_', ' ', '\\']);
    return pick([
      `${pad(d)}${sep}${pad(m)}${sep}${y}`,
      `${y}${sep}${pad(m)}${sep}${pad(d)}`,
      `${m}${sep}${d}${sep}${String(y).slice(2)}`,
      `${pad(d)}${pad(m)}${String(y).slice(2)}`,
      `${d}${m}${y}`,
    ]);
  };
  const walks = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm', '1qaz2wsx3edc', 'qazwsxedc', '!QAZ@WSX', 'QWERTY', 'poiuytrewq', 'mnbvcxz', '741852963', '789456123', '147258', '/*-+', 'aoeuidhtns', "',.pyfgcrl", 'zaq12wsx', '1q2w3e4r5t', 'qwe123', '0987654321', '[];\',./'];
  const walk = () => {
    const w = pick(walks);
    const start = int(w.length - 2);
    return w.slice(start, start + 3 + int(w.length - start));
  };
  const inherited = ['constructor', '__proto__', 'hasownproperty', 'tostring', 'valueof', 'isprototypeof', '__definegetter__', 'tolocalestring', 'propertyisenumerable'];
  const randomString = () => {
    const alphabet = pick(['abcdefghijklmnopqrstuvwxyz', 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', '0123456789', '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~ abcXYZ019', 'äöüßéèçñøåæœ€£¥İıſ日本語パスワード😀']);
    return Array.from({ length: 1 + int(14) }, () => pick([...alphabet])).join('');
  };
  const shapes: Array<() => string> = [
    () => pick(words),
    () => capitalize(pick(words)),
    () => pick(words).toUpperCase(),
    () => mixedCase(pick(words)),
    () => reverse(pick(words)),
    () => leet(pick(words), 1),
    () => leet(pick(words), 0.5),
    () => capitalize(leet(pick(words), 0.7)) + int(1000),
    () => pick(words) + year(),
    () => pick(words) + pick(['!', '?', '#', '1', '123', '2024', '_']) + pick(words),
    () => [pick(words), pick(words), pick(words)].join(pick(['-', '', ' ', '.', '_'])) + int(100),
    () => pick(words).repeat(2 + int(3)),
    () => reverse(leet(pick(words), 0.6)) + date(),
    () => date(),
    () => pick(words) + date(),
    () => walk(),
    () => capitalize(pick(words)) + walk(),
    () => pick(['a', 'Z', '1', '!', 'ab', 'abc', '12', 'xyz']).repeat(2 + int(12)),
    () => pick(['abcdef', 'ABCDEFG', '13579', '97531', 'zyxwv', 'acegik', '2468', 'mnopqrst']) + pick(words),
    () => randomString(),
    () => randomString() + pick(words) + randomString(),
    () => pick(inherited),
    () => pick([(w: string) => w, capitalize, reverse, (w: string) => leet(w, 1), (w: string) => w.toUpperCase()])(pick(inherited)) + pick(['', '1', 'x', pick(words)]),
    () => pick(words) + pick(inherited) + year(),
  ];
  const userInputs: Array<() => unknown[]> = [
    () => [],
    () => ['admin'],
    () => [pick(words)],
    () => [pick(words), pick(words), 'Mixed Case Input'],
    () => ['__proto__'],
    () => ['constructor', 'toString'],
    () => [42, true, 1990, null, undefined, { toString: () => 'object' }],
    () => ['same', 'same', 'SAME'],
    () => [''],
    () => [randomString(), pick(inherited)],
  ];
  const out: Array<{ password: string; userInputs: unknown[] }> = [{ password: '', userInputs: [] }];
  for (let n = 0; n < 2000; n += 1) {
    const password = pick(shapes)();
    let inputs = pick(userInputs)();
    // A user input that is part of the password: the user_inputs dictionary is then read.
    if (random() < 0.3) inputs = [...inputs, password.slice(int(password.length), int(password.length) + 6).toLowerCase()];
    out.push({ password, userInputs: inputs });
  }
  return out;
}

/** Runs `compare` with both copies counting years from `referenceYear`, then puts back what they had. */
function withReferenceYear<T>(referenceYear: number, compare: () => T): T {
  const before = [published.scoring.REFERENCE_YEAR, bundled.scoring.REFERENCE_YEAR] as const;
  published.scoring.REFERENCE_YEAR = referenceYear;
  bundled.scoring.REFERENCE_YEAR = referenceYear;
  try {
    return compare();
  } finally {
    [published.scoring.REFERENCE_YEAR, bundled.scoring.REFERENCE_YEAR] = before;
  }
}
const CURRENT_YEAR = new Date().getFullYear();

/** A result without calc_time, the one part that may differ: how long it took. */
function withoutTime(result: ZxcvbnResult): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...result };
  delete copy.calc_time;
  return copy;
}

/**
 * Every result in full but calc_time (how long it took), and every match found on the way
 * (most never reach a result: a name every object inherits is found with a rank that is no
 * number, whose guesses are NaN), as each of the two gives them.
 */
function differences(only: (password: string) => boolean = () => true) {
  const found: Array<{ password: string; userInputs: unknown[]; published: unknown; bundled: unknown }> = [];
  let inheritedRanks = 0;
  const cases = corpus().filter((c) => only(c.password));
  for (const { password, userInputs } of cases) {
    // zxcvbn() sets the user_inputs dictionary that omnimatch() then reads.
    const expected = withoutTime(published.zxcvbn(password, userInputs));
    const expectedMatches = published.matching.omnimatch(password);
    const actual = withoutTime(bundled.zxcvbn(password, userInputs));
    const actualMatches = bundled.matching.omnimatch(password);
    if (!isDeepStrictEqual(actual, expected)) found.push({ password, userInputs, published: expected, bundled: actual });
    else if (!isDeepStrictEqual(actualMatches, expectedMatches)) found.push({ password, userInputs, published: expectedMatches, bundled: actualMatches });
    if (expectedMatches.some((m) => m.pattern === 'dictionary' && typeof m.rank !== 'number')) inheritedRanks += 1;
  }
  return { cases: cases.length, found, inheritedRanks };
}

describe("the CLI's zxcvbn (dist/zxcvbn.cjs: ranked dictionaries built at build time)", () => {
  it('is the changed copy: it holds no list to split at load, and no dictionary to fill', () => {
    const source = readFileSync(path.join(ROOT, 'dist', 'zxcvbn.cjs'), 'utf8');
    // lib/frequency_lists.js as published: its lists in rank order, each split at load.
    expect(source).not.toContain('123456,password,12345678');
    expect(source).not.toMatch(/\.split\(","\)/);
  });

  it('finds every word of the six lists at its rank (a word listed twice: its last), and no word that differs from one by a character', () => {
    for (const [name, list] of Object.entries(frequencyLists)) {
      const words = new RankedWords(rankedGroups(list));
      const expected = new Map(list.map((word, index) => [word, index + 1]));
      const wrong = list.filter((word) => words.rank(word) !== expected.get(word));
      expect({ name, wrong: wrong.slice(0, 3) }).toEqual({ name, wrong: [] });
      const near = list.flatMap((word) => [`${word}a`, word.slice(1), `${word.slice(0, -1)}~`, `!${word}`]).filter((word) => !expected.has(word));
      expect({ name, found: near.filter((word) => words.rank(word) !== 0).slice(0, 3) }).toEqual({ name, found: [] });
    }
    const twice = new RankedWords(rankedGroups(['b', 'a', 'b', '__proto__', 'constructor']));
    expect([twice.rank('a'), twice.rank('b'), twice.rank('c'), twice.rank('')]).toEqual([2, 3, 0, 0]);
    // As the plain object build_ranked_dict made: a listed word shadows the name it inherits,
    // "__proto__" is never a key of its own, and other inherited names answer what they inherit.
    expect([twice.get('constructor'), twice.has('__proto__'), twice.get('__proto__'), twice.get('toString'), twice.has('missing')]).toEqual([5, true, Object.prototype, Object.prototype.toString, false]);
  });

  it("answers the common-password check as zxcvbn's own list: every entry, and nothing else (near misses, other lists, inherited names)", () => {
    const list = frequencyLists.passwords as string[];
    const others = Object.values(frequencyLists).flat().filter((_, i) => i % 7 === 0);
    const probes = [...list, ...list.slice(0, 2000).map((word) => `${word}1`), ...others, 'constructor', '__proto__', 'tostring', '', ' ', 'PASSWORD'];
    const differ = probes.filter((word) => bundled.commonPasswords.has(word) !== list.includes(word));
    expect(differ.slice(0, 5)).toEqual([]);
  });

  it('scores 2,000 varied passwords exactly as the published zxcvbn 4.4.2 (score, guesses, feedback, the matches chosen and all those found), with REFERENCE_YEAR 2017 as the backend', () => {
    const { cases, found, inheritedRanks } = withReferenceYear(2017, () => differences());
    expect(cases).toBeGreaterThan(2000);
    // The corpus reaches what a plain object answers for a name it inherits, not only words.
    expect(inheritedRanks).toBeGreaterThan(20);
    expect(found.slice(0, 3)).toEqual([]);
  });

  it('and those that may hold a year or a date with the published default REFERENCE_YEAR, the current year', () => {
    const { cases, found } = withReferenceYear(CURRENT_YEAR, () => differences((password) => /\d{4}|\d[\s/\\_.-]\d/.test(password)));
    expect(cases).toBeGreaterThan(300);
    expect(found.slice(0, 3)).toEqual([]);
  });

  it('is made from the matching.js it was written for: the build refuses any other (a zxcvbn update fails loudly)', () => {
    const source = readFileSync(require.resolve('zxcvbn/lib/matching.js'), 'utf8');
    expect(withPrebuiltDictionaries(source)).toMatch(/ranked_dict\.has\(/);
    expect(() => withPrebuiltDictionaries(source.replace('result[word] = i;', 'result[word] = i + 0;'))).toThrow(/is not the file scripts\/zxcvbn-dictionaries\.mjs was written for/);
  });

  // 20 characters that the backend's zxcvbn (years counted from 2017) scores 2, and the
  // published one, counting from the current year, 3.
  const DATED = '31.12.1990manchester';

  it('scores as the backend does (REFERENCE_YEAR 2017) where the CLI uses it: in the password worker, and in its own thread', async () => {
    expect(withReferenceYear(CURRENT_YEAR, () => [published.zxcvbn(DATED, ['admin']).score, bundled.zxcvbn(DATED, ['admin']).score])).toEqual([3, 3]);
    const r = await runCli(GUIDE_FLAGS, { cwd: tempDir(), env: baseEnv({ ...GUIDE_ENV, ADMIN_PASSWORD: DATED }) });
    expect(r.stderr).toContain('addAccountOperator.users[0].secret: is too easy to guess: strength 2/4');
    expect(r.code).toBe(1);
    const { passwordProblems } = (await import(path.join(ROOT, 'dist', 'index.js'))) as typeof import('../../src/index.js');
    expect(passwordProblems(DATED, 'admin', 'prod')).toEqual([expect.stringMatching(/^is too easy to guess: strength 2\/4/)]);
  });
});
