import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { expectGolden } from '../helpers/golden.js';

const name = `missing-${process.pid}-${Date.now()}.yaml`;
const file = fileURLToPath(new URL(`../fixtures/golden/${name}`, import.meta.url));
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(file, { force: true });
});

describe('golden files', () => {
  it('a missing golden file fails the test, outside CI too, and is not written by the run', () => {
    vi.stubEnv('UPDATE_GOLDEN', undefined);
    vi.stubEnv('CI', undefined);
    expect(() => expectGolden(name, 'anything: 1\n')).toThrow(`golden file ${name} is missing`);
    expect(existsSync(file)).toBe(false);
  });

  it('UPDATE_GOLDEN=1 writes it, and the next run compares with it', () => {
    vi.stubEnv('UPDATE_GOLDEN', '1');
    expectGolden(name, 'anything: 1\n');
    vi.stubEnv('UPDATE_GOLDEN', undefined);
    expectGolden(name, 'anything: 1\n');
    expect(() => expectGolden(name, 'anything: 2\n')).toThrow();
  });
});
