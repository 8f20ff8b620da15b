import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync, chownSync, lstatSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockFiles, readEditableFile, snapshotOf, writeFilesAtomic } from '../../src/io/files.js';
import { tempDir } from '../helpers/cli.js';

const mode = (file: string) => statSync(file).mode & 0o7777;

describe('writing files', () => {
  it('creates a file holding a secret 0600 and one without 0644', async () => {
    const dir = tempDir();
    const { modes, warnings } = await writeFilesAtomic([
      { file: 'secret.yaml', text: 'a: 1\n', secret: true },
      { file: 'plain.yaml', text: 'b: 2\n', secret: false },
    ], dir);
    expect(modes).toEqual([0o600, 0o644]);
    expect(mode(path.join(dir, 'secret.yaml'))).toBe(0o600);
    expect(mode(path.join(dir, 'plain.yaml'))).toBe(0o644);
    expect(warnings).toEqual([]);
  });

  it("keeps an existing file's mode, and says how to tighten it when it holds a secret others may read", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'v.yaml'), 'old\n', { mode: 0o640 });
    const { warnings } = await writeFilesAtomic([{ file: 'v.yaml', text: 'new\n', secret: true }], dir);
    expect(mode(path.join(dir, 'v.yaml'))).toBe(0o640);
    expect(warnings).toEqual(['v.yaml holds secrets and others may read it (mode 0640); its mode was kept: run chmod 600 v.yaml']);
    writeFileSync(path.join(dir, 'w.yaml'), 'old\n', { mode: 0o644 });
    expect((await writeFilesAtomic([{ file: 'w.yaml', text: 'new\n', secret: false }], dir)).warnings).toEqual([]);
    expect(mode(path.join(dir, 'w.yaml'))).toBe(0o644);
  });

  it.skipIf(process.getuid?.() !== 0)("keeps an existing file's owner", async () => {
    const dir = tempDir();
    const file = path.join(dir, 'v.yaml');
    writeFileSync(file, 'old\n', { mode: 0o600 });
    chownSync(file, 1234, 2345);
    await writeFilesAtomic([{ file: 'v.yaml', text: 'new\n', secret: true }], dir);
    expect(readFileSync(file, 'utf8')).toBe('new\n');
    expect([statSync(file).uid, statSync(file).gid]).toEqual([1234, 2345]);
  });

  it('writes the target of a symbolic link atomically and leaves the link a link', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'real'));
    writeFileSync(path.join(dir, 'real', 'values.yaml'), 'old\n', { mode: 0o600 });
    symlinkSync('real/values.yaml', path.join(dir, 'link.yaml'));
    await writeFilesAtomic([{ file: 'link.yaml', text: 'new\n', secret: true }], dir);
    expect(lstatSync(path.join(dir, 'link.yaml')).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(dir, 'real', 'values.yaml'), 'utf8')).toBe('new\n');
    expect(readdirSync(path.join(dir, 'real'))).toEqual(['values.yaml']);
  });

  it('says so when the atomic replacement splits a hard link', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'v.yaml'), 'old\n', { mode: 0o600 });
    linkSync(path.join(dir, 'v.yaml'), path.join(dir, 'other-name.yaml'));
    const { warnings } = await writeFilesAtomic([{ file: 'v.yaml', text: 'new\n', secret: true }], dir);
    expect(warnings).toEqual(["v.yaml had 2 hard links: the rewrite is a new file, so the file's other names still hold the old content"]);
    expect(readFileSync(path.join(dir, 'other-name.yaml'), 'utf8')).toBe('old\n');
  });

  it('refuses to replace a file that changed since it was read, writing none of the files', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'a.yaml'), 'a\n');
    writeFileSync(path.join(dir, 'b.yaml'), 'b\n');
    const a = await readEditableFile('a.yaml', 'values file', dir);
    const b = await readEditableFile('b.yaml', 'values file', dir);
    writeFileSync(path.join(dir, 'b.yaml'), 'someone else\n');
    await expect(
      writeFilesAtomic([
        { file: 'a.yaml', text: 'A\n', secret: false, snapshot: a.snapshot },
        { file: 'b.yaml', text: 'B\n', secret: false, snapshot: b.snapshot },
      ], dir),
    ).rejects.toThrow('b.yaml changed on disk since this run read it (another program or run wrote it); nothing was written: run the command again');
    expect(readFileSync(path.join(dir, 'a.yaml'), 'utf8')).toBe('a\n');
    expect(readFileSync(path.join(dir, 'b.yaml'), 'utf8')).toBe('someone else\n');
    expect(readdirSync(dir).sort()).toEqual(['a.yaml', 'b.yaml']);
  });

  it('refuses to create a file that someone else created since the run looked', async () => {
    const dir = tempDir();
    const snapshot = await snapshotOf('new.yaml', dir);
    writeFileSync(path.join(dir, 'new.yaml'), 'theirs\n');
    await expect(writeFilesAtomic([{ file: 'new.yaml', text: 'mine\n', secret: false, snapshot }], dir)).rejects.toThrow('changed on disk');
    expect(readFileSync(path.join(dir, 'new.yaml'), 'utf8')).toBe('theirs\n');
  });

  it('writes all or none: a file that cannot be replaced puts back those already replaced', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'a.yaml'), 'a\n');
    // A non-empty folder where a file is expected: its rename fails after a.yaml's succeeded.
    mkdirSync(path.join(dir, 'b.yaml'));
    writeFileSync(path.join(dir, 'b.yaml', 'x'), 'x');
    await expect(
      writeFilesAtomic([
        { file: 'a.yaml', text: 'A\n', secret: false },
        { file: 'b.yaml', text: 'B\n', secret: false },
      ], dir),
    ).rejects.toThrow(/^could not write b\.yaml: .*; nothing was written$/);
    expect(readFileSync(path.join(dir, 'a.yaml'), 'utf8')).toBe('a\n');
    expect(readdirSync(dir).sort()).toEqual(['a.yaml', 'b.yaml']);
  });
});

describe('locks', () => {
  it('refuses while another live run holds the lock, naming its pid, and takes over the lock of a dead one', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'v.yaml'), 'v\n');
    // A live process other than this one: the test runner's parent.
    writeFileSync(path.join(dir, 'v.yaml.lock'), `${process.ppid}\nx\n`);
    await expect(lockFiles(['v.yaml'], dir, 100)).rejects.toThrow(`v.yaml is being edited by another substra-deploy run (pid ${process.ppid})`);
    expect(readFileSync(path.join(dir, 'v.yaml.lock'), 'utf8')).toBe(`${process.ppid}\nx\n`);

    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(path.join(dir, 'v.yaml.lock'), `${dead}\nx\n`);
    const release = await lockFiles(['v.yaml'], dir, 100);
    expect(readFileSync(path.join(dir, 'v.yaml.lock'), 'utf8').split('\n')[0]).toBe(String(process.pid));
    release();
    expect(existsSync(path.join(dir, 'v.yaml.lock'))).toBe(false);
  });

  it('locks beside the target of a symbolic link, so two names for one file share a lock', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'v.yaml'), 'v\n');
    symlinkSync('v.yaml', path.join(dir, 'alias.yaml'));
    const release = await lockFiles(['alias.yaml'], dir);
    expect(existsSync(path.join(dir, 'v.yaml.lock'))).toBe(true);
    await expect(lockFiles(['v.yaml'], dir, 100)).rejects.toThrow('v.yaml is being edited by another substra-deploy run');
    release();
  });
});

describe('writeFilesAtomic naming what it could not write', () => {
  it('names the file that is a folder, not the last file of the batch, and writes none', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'b.yaml'));
    const write = writeFilesAtomic(
      ['a.yaml', 'b.yaml', 'c.yaml'].map((file) => ({ file, text: 'x: 1\n', secret: false })),
      dir,
    );
    await expect(write).rejects.toThrow(/^could not write b\.yaml: /);
    expect(readdirSync(dir)).toEqual(['b.yaml']);
  });
});
