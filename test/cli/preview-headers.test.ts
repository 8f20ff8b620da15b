import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { isSelectLine, type Prompter } from '../../src/prompts/prompter.js';
import { GUIDE_ENV, GUIDE_FLAGS, tempDir } from '../helpers/cli.js';
import { runMain } from '../helpers/in-process.js';

/** A header that says a file "will hold" or "would be written" is only ever over a file that is. */
let dir: string;
const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...GUIDE_ENV };
const FLAGS = GUIDE_FLAGS.filter((f) => f !== '--non-interactive');

beforeEach(() => {
  dir = tempDir('preview-');
});

/** The wizard in this process, as in a terminal: every question takes its default, "Write …?" yes, "Deploy …?" no. */
async function wizard(args: string[]): Promise<{ code: number; stderr: string; asked: string[] }> {
  const tty = () => Object.assign(new PassThrough(), { isTTY: true });
  const stderr = tty();
  let err = '';
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const asked: string[] = [];
  const prompter: Prompter = {
    text: async (o) => (asked.push(o.message), o.default ?? ''),
    confirm: async (o) => (asked.push(o.message), o.message.startsWith('Write ')),
    secret: async (o) => {
      throw new Error(`asked for a secret: ${o.message}`);
    },
    select: async (o) => (asked.push(o.message), o.default ?? (o.choices.find((c) => !isSelectLine(c)) as { value: never } | undefined)?.value as never),
    checkbox: async (o) => (asked.push(o.message), o.choices.filter((c) => c.checked).map((c) => c.value)),
  };
  const code = await main({ argv: args, env, cwd: dir, stdin: tty(), stdout: tty(), stderr, version: '0.0.0-test', prompter });
  return { code, stderr: err, asked };
}

describe('what the previews say will be written', () => {
  it('in secrets mode, the wizard shows the accounts under the credentials file, where they go, not under the values file', async () => {
    const r = await wizard([...FLAGS, '--secrets-mode', 'secret']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.asked).toContain('Write backend-values.yaml?');
    const values = r.stderr.slice(r.stderr.indexOf('backend-values.yaml will hold:'), r.stderr.indexOf('backend-values.credentials.yaml will hold:'));
    expect(values).toContain('existingSecret: backend-accounts');
    expect(values).not.toContain('users:');
    const credentials = r.stderr.slice(r.stderr.indexOf('backend-values.credentials.yaml will hold:'));
    expect(credentials).toMatch(/users:\n\s+- name: admin\n\s+secret: "\*\*\*"/);
    expect(readFileSync(path.join(dir, 'backend-values.yaml'), 'utf8')).not.toContain('users:');
    expect(statSync(path.join(dir, 'backend-values.credentials.yaml')).mode & 0o777).toBe(0o600);
    for (const secret of Object.values(GUIDE_ENV)) expect(r.stderr).not.toContain(secret);
  });

  it('a dry run of an edit that changes nothing says nothing would be written, not "would write"', async () => {
    expect((await runMain(GUIDE_FLAGS, { cwd: dir, env })).code).toBe(0);
    const before = readFileSync(path.join(dir, 'backend-values.yaml'), 'utf8');
    const r = await runMain(['init', '--values', 'backend-values.yaml', '--non-interactive', '--dry-run'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('dry run: backend-values.yaml already says all of this; nothing would be written');
    expect(r.stderr).not.toContain('would write');
    expect(readFileSync(path.join(dir, 'backend-values.yaml'), 'utf8')).toBe(before);

    const changed = await runMain(['init', '--values', 'backend-values.yaml', '--non-interactive', '--dry-run', '--subdomain', 'backend'], { cwd: dir, env });
    expect(changed.stderr).toContain('dry run: would write backend-values.yaml (mode 0600):');
    expect(existsSync(path.join(dir, 'backend-values.credentials.yaml'))).toBe(false);
  });
});
