import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { fixture } from '../helpers/golden.js';
import { runMain } from '../helpers/in-process.js';

/**
 * An operator's file is theirs: a no-op edit leaves it untouched, an edit of one setting
 * changes exactly that setting's lines, whatever the file's own spelling of everything else.
 */
let dir: string;
const env = { PATH: process.env.PATH, HOME: process.env.HOME };
const edit = (...args: string[]) => runMain(['init', '--values', 'v.yaml', '--non-interactive', ...args], { cwd: dir, env });
const read = () => readFileSync(path.join(dir, 'v.yaml'), 'utf8');

/** The lines of `after` that are not in `before` and the other way round, in order. */
function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  return { removed: a.slice(start, endA), added: b.slice(start, endB) };
}

const variants: Record<string, (text: string) => string> = {
  'hand-written (LF)': (t) => t,
  'hand-written with CRLF line ends': (t) => t.replace(/\n/g, '\r\n'),
  'in-cluster example layout': () => fixture('values/in-cluster.yaml'),
  'realistic, with anchors and aliases': () => fixture('values/realistic.yaml'),
};

describe.each(Object.entries(variants))('editing %s', (_, make) => {
  let original: string;
  beforeEach(() => {
    dir = tempDir();
    original = make(fixture('values/hand-written.yaml'));
    writeFileSync(path.join(dir, 'v.yaml'), original, { mode: 0o644 });
  });

  it('with nothing to change leaves the file byte for byte, not rewritten', async () => {
    const before = statSync(path.join(dir, 'v.yaml'));
    const r = await edit();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('already says all of this; nothing to write');
    expect(read()).toBe(original);
    expect(statSync(path.join(dir, 'v.yaml')).mtimeMs).toBe(before.mtimeMs);
  });

  it('renaming the organization changes that one line', async () => {
    const r = await edit('--organization', 'tessier');
    expect(r.code, r.stderr).toBe(0);
    const crlf = original.includes('\r\n');
    const { removed, added } = changedLines(original.replace(/\r\n/g, '\n'), read().replace(/\r\n/g, '\n'));
    expect(removed).toHaveLength(1);
    expect(removed[0]).toMatch(/^organizationName: /);
    expect(added).toHaveLength(1);
    expect(added[0]).toBe(removed[0]!.replace(/straylight|ingen|Tessier/, 'tessier'));
    expect(read().includes('\r\n')).toBe(crlf);
    if (crlf) expect(read().replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('adding a user adds only its lines', async () => {
    const channel = original.includes('our-channel') ? 'our-channel' : 'mychannel';
    const r = await edit('--user', `molly,channel=${channel}`, '--generate-passwords');
    expect(r.code, r.stderr).toBe(0);
    const { removed, added } = changedLines(original.replace(/\r\n/g, '\n'), read().replace(/\r\n/g, '\n'));
    expect(removed).toEqual([]);
    expect(added.join('\n')).toMatch(/name: molly/);
    expect(added.some((l) => l.includes('organizationName'))).toBe(false);
  });
});

describe('editing the hand-written file', () => {
  it('keeps number spellings, timestamps, escapes, folded text, flow spacing, blank lines, the last comment and the missing final newline', async () => {
    dir = tempDir();
    const original = fixture('values/hand-written.yaml');
    writeFileSync(path.join(dir, 'v.yaml'), original);
    expect((await edit('--orchestrator-port', '9001')).code).toBe(0);
    const after = read();
    for (const kept of ['SOME_TIMEOUT: 0x1F', 'BIG_NUMBER: 1_000', 'RATIO: 1e3', 'STARTED: 2001-12-14t21:59:43.10-05:00', 'MOTTO: "caf\\u00e9 au lait"',
      'EMPTY_ONE:    # nothing yet', 'NOTES: >\n    folded text that\n    spans two lines', 'annotations: { nginx.ingress.kubernetes.io/proxy-body-size: 100m }',
      'tls: [ ]', "tags: [ \"x\", 'y' ]", 'replicaCount: 01', '# prod password policy\n\n\norganizationName', '  - mychannel:\n      <<: *defaults', '# the end\ntrailer: no final newline']) {
      expect(after, kept).toContain(kept);
    }
    expect(after.endsWith('trailer: no final newline')).toBe(true);
    expect(changedLines(original, after)).toEqual({ removed: ['  port: 9000'], added: ['  port: 9001'] });
  });
});
