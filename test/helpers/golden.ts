import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/**
 * Compares with test/fixtures/golden/NAME. Only UPDATE_GOLDEN=1 writes it (then review the
 * diff): a missing golden file fails, or a run would bless whatever it printed.
 */
export function expectGolden(name: string, actual: string): void {
  const file = fileURLToPath(new URL(`../fixtures/golden/${name}`, import.meta.url));
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, actual);
  else if (!existsSync(file)) throw new Error(`golden file ${name} is missing: run with UPDATE_GOLDEN=1 to write it, then review it`);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), 'utf8');
}
