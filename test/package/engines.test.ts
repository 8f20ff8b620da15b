import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

type Version = [number, number, number];

const parse = (text: string): Version => {
  const [major = 0, minor = 0, patch = 0] = text.split('.').map(Number);
  return [major, minor, patch];
};
const compare = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Whether `version` satisfies an engines range of the forms packages use here: `>=x.y.z`, `^x.y.z`, `x || y`. */
export function satisfies(version: Version, range: string): boolean {
  return range.split('||').some((part) =>
    part
      .trim()
      .split(/\s+(?=[>^<=~])/)
      .every((comparator) => {
        const m = /^(>=|\^|>|<=|<|=)?\s*v?(\d+(?:\.\d+){0,2})$/.exec(comparator.trim());
        if (!m) throw new Error(`an engines range this test does not read: ${range}`);
        const [, op = '=', text = ''] = m;
        const bound = parse(text);
        const order = compare(version, bound);
        if (op === '^') return version[0] === bound[0] && order >= 0;
        return { '>=': order >= 0, '>': order > 0, '<=': order <= 0, '<': order < 0, '=': order === 0 }[op] as boolean;
      }),
  );
}

/** Node releases on both sides of every bound the bundled packages set. */
const PROBES: Version[] = [[20, 11, 0], [20, 17, 0], [20, 99, 0], [21, 0, 0], [22, 0, 0], [22, 12, 0], [22, 13, 0], [23, 0, 0], [23, 5, 0], [24, 0, 0], [26, 0, 0]];

describe("package.json engines", () => {
  it('admits only Node releases that every package bundled into dist/ runs on: those are not installed, so npm never checks their engines (on 20.11 the wizard failed: @inquirer needs util.styleText)', () => {
    const ours = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    const meta = JSON.parse(readFileSync(path.join(ROOT, 'dist', 'meta.json'), 'utf8')) as { inputs: Record<string, unknown> };
    const bundled = new Set(Object.keys(meta.inputs).flatMap((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1] ?? []));
    expect(bundled.size).toBeGreaterThan(10);
    const ranges = [...bundled].flatMap((name) => {
      const range = (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { engines?: { node?: string } }).engines?.node;
      return range ? [{ name, range }] : [];
    });
    const admitted = PROBES.filter((version) => satisfies(version, ours));
    expect(admitted.length, `engines says ${ours}`).toBeGreaterThan(0);
    const unmet = admitted.flatMap((version) => ranges.filter(({ range }) => !satisfies(version, range)).map(({ name, range }) => `node ${version.join('.')}: ${name} needs ${range}`));
    expect(unmet, `engines says ${ours}`).toEqual([]);
  });

  it('the range check reads the forms in use', () => {
    expect(satisfies([20, 11, 0], '>=23.5.0 || ^22.13.0 || ^20.17.0')).toBe(false);
    expect(satisfies([20, 17, 0], '>=23.5.0 || ^22.13.0 || ^20.17.0')).toBe(true);
    expect(satisfies([20, 11, 0], '^18.19.0 || >=20.5.0')).toBe(true);
    expect(satisfies([20, 11, 0], '>= 14.6')).toBe(true);
    expect(satisfies([20, 0, 0], '>=20')).toBe(true);
    expect(satisfies([19, 9, 0], '>=20')).toBe(false);
  });
});
