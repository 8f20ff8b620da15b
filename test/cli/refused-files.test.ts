import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_CHART, GUIDE_ENV, GUIDE_FLAGS, run, tempDir, TOOLS } from '../helpers/cli.js';
import { runMain } from '../helpers/in-process.js';

let dir: string;
let valid: Buffer;

beforeAll(async () => {
  dir = tempDir();
  const init = await runMain(GUIDE_FLAGS, { cwd: dir, env: GUIDE_ENV });
  expect(init.code).toBe(0);
  valid = readFileSync(path.join(dir, 'backend-values.yaml'));
});

const helmTemplate = (file: string) => run(path.join(TOOLS, 'helm'), ['template', 'x', FIXTURE_CHART, '-f', file]);

function aliasBomb(): string {
  const lines = ['lol0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i += 1) lines.push(`lol${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(',')}]`);
  return `${lines.join('\n')}\n`;
}

/** The valid file with a fault put in; written as bytes. */
const cases: Array<[string, () => Buffer, RegExp]> = [
  ['invalid UTF-8 (a Latin-1 é)', () => Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\n'), valid]), /^error: values file bad\.yaml:1:6: is not valid UTF-8 \(byte 0xe9\), which helm refuses too/],
  ['a NUL byte', () => Buffer.concat([Buffer.from('# a\u0000b\n'), valid]), /^error: bad\.yaml:1:4: holds the control character U\+0000/],
  ['a %YAML 1.2 directive', () => Buffer.concat([Buffer.from('%YAML 1.2\n---\n'), valid]), /^error: bad\.yaml:1:1: holds the directive "%YAML 1\.2"/],
  ['an alias bomb', () => Buffer.concat([valid, Buffer.from(aliasBomb())]), /^error: bad\.yaml:\d+:\d+: YAML error: aliases expand to more than 100000 values \(an alias bomb\?\)/],
];

describe('validate refuses what helm refuses: exit 2, one line with the file and the reason', () => {
  for (const [what, bytes, message] of cases) {
    it(what, async () => {
      writeFileSync(path.join(dir, 'bad.yaml'), bytes());
      const r = await runMain(['validate', 'bad.yaml'], { cwd: dir });
      expect(r.stderr).toMatch(message);
      // one line, and under a YAML error the line of the file it is on (with a caret)
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(/YAML error/.test(r.stderr) ? 3 : 1);
      expect(r.code).toBe(2);
      // and helm, given the same file, refuses it too
      const helm = await helmTemplate(path.join(dir, 'bad.yaml'));
      expect(helm.code).toBe(1);
      expect(helm.stderr).toMatch(/^Error: failed to parse .*bad\.yaml/);
    });
  }

  it('deep nesting: one clean line, no stack trace (helm itself stops at 10,000 levels)', async () => {
    writeFileSync(path.join(dir, 'deep.yaml'), Buffer.concat([valid, Buffer.from(`deep: ${'['.repeat(3000)}${']'.repeat(3000)}\n`)]));
    const r = await runMain(['validate', 'deep.yaml'], { cwd: dir });
    expect(r.stderr).toMatch(/^error: deep\.yaml(:\d+:\d+)?: nested more than 256 levels deep/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.code).toBe(2);
  });

  it('accepts a trailing --- as helm does', async () => {
    writeFileSync(path.join(dir, 'trailing.yaml'), Buffer.concat([valid, Buffer.from('---\n')]));
    const r = await runMain(['validate', 'trailing.yaml'], { cwd: dir });
    expect(r.stderr).toContain('is valid');
    expect(r.code).toBe(0);
    expect((await helmTemplate(path.join(dir, 'trailing.yaml'))).code).toBe(0);
  });
});
