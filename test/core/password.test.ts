import { describe, expect, it } from 'vitest';
import { generateSecret } from '../../src/core/generate.js';
import { DJANGO_COMMON_LONG_PASSWORDS, isTooSimilarToUserName, passwordProblems } from '../../src/core/password.js';

describe('the backend password policy (prod settings)', () => {
  it('accepts a long, unguessable password', () => {
    expect(passwordProblems('correct-Horse-battery-staple-42', 'admin', 'prod')).toEqual([]);
  });

  it('rejects fewer than 20 characters, saying how many there are', () => {
    expect(passwordProblems('Xk9#mP2$vL', 'admin', 'prod')).toEqual(['must be at least 20 characters (it has 10)']);
  });

  it('accepts 9 characters with settings: dev, where the minimum is 9', () => {
    expect(passwordProblems('Xk9#mP2$vLq', 'admin', 'dev')).toEqual([]);
    expect(passwordProblems('Xk9#mP2$', 'admin', 'dev')).toEqual(['must be at least 9 characters (it has 8)']);
  });

  it('rejects more than 64 characters', () => {
    const long = 'Ab1-'.repeat(17);
    expect(passwordProblems(long, 'admin', 'prod')).toContain('must be at most 64 characters (it has 68)');
  });

  it('refuses a 5,000-character password in well under a second: the length rule comes before zxcvbn', () => {
    const huge = 'aB3$kq9!'.repeat(625);
    const started = performance.now();
    const problems = passwordProblems(huge, 'admin', 'prod');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(problems).toEqual(['must be at most 64 characters (it has 5000)']);
  });

  it('skips zxcvbn for a password just over 64 characters too (it is refused anyway)', () => {
    const started = performance.now();
    const problems = passwordProblems('Zx8!'.repeat(30), 'admin', 'prod');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(problems).toEqual(['must be at most 64 characters (it has 120)']);
  });

  it('rejects an entirely numeric password even when long, in any script\'s digits (Python isdigit)', () => {
    expect(passwordProblems('83920174658302918475', 'admin', 'prod')).toContain('must not be entirely numeric');
    expect(passwordProblems('٨٣٩٢٠١٧٤٦٥٨٣٠٢٩١٨٤٧٥', 'admin', 'prod')).toContain('must not be entirely numeric');
  });

  it('rejects a 20-character password that zxcvbn scores below 3 (what "20 characters" alone would let through)', () => {
    const problems = passwordProblems('passwordpassword1234', 'admin', 'prod');
    expect(problems.some((p) => p.startsWith('is too easy to guess'))).toBe(true);
    expect(passwordProblems('aaaaaaaaaaaaaaaaaaaa', 'admin', 'prod').some((p) => p.startsWith('is too easy to guess'))).toBe(true);
  });

  it("rejects the 20+ character entries of Django's common list in any case, including the two zxcvbn scores 3+", () => {
    for (const password of DJANGO_COMMON_LONG_PASSWORDS) {
      for (const variant of [password, password.toUpperCase()]) {
        expect(passwordProblems(variant, 'admin', 'prod'), variant).toContain("is on Django's common-password list, which the backend checks in any letter case and with spaces trimmed");
      }
    }
    // Without the list, zxcvbn alone lets this one through: the list is what refuses it.
    expect(passwordProblems('Doomsayer.2.7mords.vv', 'admin', 'prod').filter((p) => !p.includes('common-password'))).toEqual([]);
  });

  it('uses the user name as a zxcvbn input: the same password is weaker for that user', () => {
    const password = 'jonathanharker1897xx';
    const forOther = passwordProblems(password, 'mina', 'prod');
    const forHim = passwordProblems(password, 'jonathanharker1897', 'prod');
    expect(forHim.length).toBeGreaterThan(forOther.length);
  });

  it('never puts the password itself in a message', () => {
    const password = 'passwordpassword1234';
    for (const problem of passwordProblems(password, 'admin', 'prod')) expect(problem).not.toContain(password);
  });

  it('accepts every generated secret', () => {
    for (let i = 0; i < 20; i += 1) expect(passwordProblems(generateSecret(), 'admin', 'prod')).toEqual([]);
  });
});

describe("Django's user-attribute similarity", () => {
  it('flags a password made of the user name', () => {
    expect(isTooSimilarToUserName('Administrator-2024!', 'administrator')).toBe(true);
  });

  it('compares each part of a name split on non-word characters', () => {
    // "marie.curie" splits into marie and curie; the password shares most letters with "curie".
    expect(isTooSimilarToUserName('curie', 'marie.curie')).toBe(true);
  });

  it('skips a short part against a password ten times longer', () => {
    expect(isTooSimilarToUserName('a'.repeat(10) + 'bcdefghijklmnopqrstu', 'ab')).toBe(false);
  });

  it('is case-insensitive and counts shared characters as multisets', () => {
    // 2·5/(5+5) = 1.0 for an anagram of the name.
    expect(isTooSimilarToUserName('NILSA', 'alins')).toBe(true);
    expect(isTooSimilarToUserName('zzzzzzzzzz', 'alins')).toBe(false);
  });
});

