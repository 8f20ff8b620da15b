import { randomBytes } from 'node:crypto';
import { constants, promises as fs, readFileSync, renameSync, rmSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { InputError, StepError, UsageError } from '../core/errors.js';

/** A values file of this size is already far past any real one; refuse before parsing. */
export const MAX_INPUT_BYTES = 5 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i] as number;
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    if (length > 1) {
      try {
        utf8.decode(bytes.subarray(i, i + length));
      } catch {
        return i;
      }
    }
    i += length;
  }
  return bytes.length;
}

/** UTF-8 or a one-line refusal naming the place: helm refuses such a file as well. */
function decodeUtf8(bytes: Buffer, label: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const lineStart = bytes.lastIndexOf(0x0a, offset - 1) + 1;
    let line = 1;
    for (let i = 0; i < lineStart; i += 1) if (bytes[i] === 0x0a) line += 1;
    const byte = (bytes[offset] ?? 0).toString(16).padStart(2, '0');
    throw new InputError(`${label}:${line}:${offset - lineStart + 1}: is not valid UTF-8 (byte 0x${byte}), which helm refuses too; save the file as UTF-8`);
  }
}

async function readBytes(file: string, what: string, cwd: string): Promise<Buffer> {
  const shown = file;
  file = path.resolve(cwd, file);
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (error) {
    throw new InputError(`${what} ${shown}: ${describeFsError(error)}`);
  }
  if (stat.isDirectory()) throw new InputError(`${what} ${shown}: is a directory, not a file`);
  if (stat.size > MAX_INPUT_BYTES) {
    throw new InputError(`${what} ${shown}: is ${(stat.size / 1024 / 1024).toFixed(1)} MiB; a values file is at most ${MAX_INPUT_BYTES / 1024 / 1024} MiB`);
  }
  try {
    return await fs.readFile(file);
  } catch (error) {
    throw new InputError(`${what} ${shown}: ${describeFsError(error)}`);
  }
}

/** `file` is resolved against `cwd`; messages name it as the operator wrote it. A BOM is dropped. */
export async function readTextFile(file: string, what: string, cwd = process.cwd()): Promise<string> {
  const text = decodeUtf8(await readBytes(file, what, cwd), `${what} ${file}`);
  // Editors on some systems write a byte-order mark; YAML does not want it.
  return text.startsWith('\ufeff') ? text.slice(1) : text;
}

/** What a file held when this run read it (no bytes: it did not exist). */
export interface FileSnapshot {
  /** the path a write replaces: symbolic links followed */
  target: string;
  bytes?: Buffer;
}

/**
 * A file this run will rewrite: its text exactly as on disk (a BOM included, for the writer to
 * keep) and a snapshot, so the write can refuse if someone changed it in the meantime.
 */
export async function readEditableFile(file: string, what: string, cwd: string): Promise<{ text: string; snapshot: FileSnapshot }> {
  const bytes = await readBytes(file, what, cwd);
  const text = decodeUtf8(bytes, `${what} ${file}`);
  return { text, snapshot: { target: await resolveTarget(path.resolve(cwd, file)), bytes } };
}

/** The snapshot of a file this run will write without reading it (usually: it does not exist). */
export async function snapshotOf(file: string, cwd: string): Promise<FileSnapshot> {
  const target = await resolveTarget(path.resolve(cwd, file));
  try {
    return { target, bytes: await fs.readFile(target) };
  } catch {
    return { target };
  }
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'EROFS':
      return 'is on a read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    default:
      return (error as Error).message;
  }
}

export async function fileExists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch {
    return false;
  }
}

/** Fails early (before any prompt) when `file` could not be written: a usage error. */
export async function checkWritable(file: string, flag: string, cwd: string): Promise<void> {
  let target: string;
  try {
    target = await resolveTarget(path.resolve(cwd, file));
  } catch {
    throw new UsageError([`${flag} ${file}: too many levels of symbolic links (a loop?); name the file itself`]);
  }
  const dir = path.dirname(target);
  try {
    const stat = await fs.stat(dir);
    if (!stat.isDirectory()) throw new UsageError([`${flag} ${file}: ${dir} is not a directory`]);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError([`${flag} ${file}: directory ${dir} ${describeFsError(error)}; create it first`]);
  }
  try {
    await fs.access(dir, constants.W_OK);
  } catch {
    throw new UsageError([`${flag} ${file}: cannot write in ${dir} (permission denied); choose another --output`]);
  }
  try {
    const stat = await fs.stat(path.resolve(cwd, file));
    if (stat.isDirectory()) throw new UsageError([`${flag} ${file}: is a directory; name a file`]);
  } catch (error) {
    if (error instanceof UsageError) throw error;
  }
}

/**
 * The file a write to `file` must replace: the end of its chain of symbolic links, so the
 * link stays a link and its target is what changes. A missing file is its own target.
 */
export async function resolveTarget(file: string): Promise<string> {
  let current = file;
  for (let hops = 0; hops < 40; hops += 1) {
    let stat;
    try {
      stat = await fs.lstat(current);
    } catch {
      return current;
    }
    if (!stat.isSymbolicLink()) return current;
    current = path.resolve(path.dirname(current), await fs.readlink(current));
  }
  throw new StepError(`${file}: too many levels of symbolic links`);
}

/**
 * Makes `dir` (with its parents) if it is not there; returns the first folder it had to make
 * (`dir` itself or one of its parents), or undefined. A path that exists and is not a folder is
 * a usage error, as for --output.
 */
export async function ensureDirectory(dir: string, flag: string, cwd: string): Promise<string | undefined> {
  const target = path.resolve(cwd, dir);
  try {
    if ((await fs.stat(target)).isDirectory()) return undefined;
    throw new UsageError([`${flag} ${dir}: is not a folder`]);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new UsageError([`${flag} ${dir}: ${describeFsError(error)}`]);
  }
  try {
    return (await fs.mkdir(target, { recursive: true })) ?? target;
  } catch (error) {
    throw new UsageError([`${flag} ${dir}: could not create it (${describeFsError(error)})`]);
  }
}

/**
 * Removes `dir` and its parents up to `firstMade` (what ensureDirectory made), each only if it
 * is empty: folders this run made and then wrote nothing in.
 */
export async function removeEmptyDirectory(dir: string, cwd: string, firstMade: string): Promise<void> {
  let current = path.resolve(cwd, dir);
  const top = path.resolve(firstMade);
  while (current === top || current.startsWith(`${top}${path.sep}`)) {
    try {
      await fs.rmdir(current);
    } catch {
      return;
    }
    current = path.dirname(current);
  }
}

/** Whether `dir` is an existing folder (the dry run says which folders it would create). */
export async function directoryExists(dir: string): Promise<boolean> {
  try {
    return (await fs.stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

// ---- what this run leaves behind, and what it wrote ----

const pendingTemporaries = new Set<string>();
const written: string[] = [];

/** A new run (main() may run several times in one process, as tests do). */
export function startRun(): void {
  written.length = 0;
}

/** The files this run has written so far, as the operator named them. */
export function writtenFiles(): string[] {
  return [...written];
}

/** What to say when the run is cut short: truthfully, whether anything was written. */
export function interruptionNote(): string {
  const files = writtenFiles();
  if (files.length === 0) return 'cancelled: nothing was written';
  return `cancelled: ${files.join(', ')} ${files.length === 1 ? 'was' : 'were'} written before the interruption; nothing else was`;
}

/** Removes temporary files, folders and locks of work cut short (on a signal, before exiting). */
export function removePendingTemporaries(): void {
  for (const tmp of pendingTemporaries) {
    // Synchronous on purpose: this runs while the process is exiting.
    rmSync(tmp, { recursive: true, force: true });
  }
  pendingTemporaries.clear();
}

/** Remembers a temporary path to remove if the run is interrupted; call the result when done. */
export function registerTemporary(tmp: string): () => void {
  pendingTemporaries.add(tmp);
  return () => pendingTemporaries.delete(tmp);
}

// ---- locks: one run edits a file at a time ----

/** How long a run waits for another one editing the same file before refusing. */
export const LOCK_WAIT_MS = 10_000;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid in a lock file; undefined while it is being written (or unreadable). */
function lockHolder(lock: string): number | undefined {
  try {
    const pid = Number(readFileSync(lock, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function acquireLock(lock: string, shown: string, waitMs: number): Promise<() => void> {
  const token = `${process.pid}\n${randomBytes(6).toString('hex')}\n`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      // O_EXCL: exactly one run creates it.
      await fs.writeFile(lock, token, { flag: 'wx', mode: 0o644 });
      const forget = registerTemporary(lock);
      return () => {
        forget();
        try {
          if (readFileSync(lock, 'utf8') === token) rmSync(lock, { force: true });
        } catch {
          /* already gone */
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new StepError(`could not lock ${shown} (${lock}): ${describeFsError(error)}`);
    }
    const holder = lockHolder(lock);
    let age = 0;
    try {
      age = Date.now() - statSync(lock).mtimeMs;
    } catch {
      continue;
    }
    // The run that held it is gone (killed, or the machine restarted): take the lock over.
    if ((holder !== undefined && !processAlive(holder)) || (holder === undefined && age > 5000)) {
      rmSync(lock, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new StepError(
        `${shown} is being edited by another substra-deploy run (pid ${holder ?? 'unknown'}); nothing was written: run again when it is done (or delete ${lock} if no such run exists)`,
      );
    }
    await pause(50);
  }
}

/**
 * Locks files for editing: `FILE.lock` beside each target (symbolic links followed), created
 * with O_EXCL and holding the pid. A second run waits up to `waitMs` for the first, then
 * refuses; a lock whose process is gone is taken over. Locks are taken in path order, so two
 * runs over the same files cannot wait on each other. Returns the release.
 */
export async function lockFiles(files: string[], cwd: string, waitMs = LOCK_WAIT_MS): Promise<() => void> {
  const targets = new Map<string, string>();
  for (const file of files) targets.set(await resolveTarget(path.resolve(cwd, file)), file);
  const releases: Array<() => void> = [];
  const releaseAll = () => {
    for (const release of releases.splice(0).reverse()) release();
  };
  try {
    for (const target of [...targets.keys()].sort()) releases.push(await acquireLock(`${target}.lock`, targets.get(target) as string, waitMs));
  } catch (error) {
    releaseAll();
    throw error;
  }
  return releaseAll;
}

// ---- atomic writes ----

export interface PlannedWrite {
  /** as the operator named it, for messages */
  file: string;
  text: string;
  /** it holds secrets: a new file is created 0600, an existing one readable by others is pointed out */
  secret: boolean;
  /** what the file held when this run read it: the write refuses if that has changed */
  snapshot?: FileSnapshot;
}

export interface WriteReport {
  /** the mode each file has now, in the order given */
  modes: number[];
  /** things the operator should know (a mode to tighten, a hard link split, an owner not kept) */
  warnings: string[];
}

const octal = (mode: number) => mode.toString(8).padStart(4, '0');
const shellWord = (text: string) => (/^[A-Za-z0-9_./:=,@%+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`);

/** The mode a write would give the file: an existing file keeps its own. */
export async function plannedMode(file: string, secret: boolean, cwd: string): Promise<number> {
  const existing = await fs.stat(await resolveTarget(path.resolve(cwd, file))).catch(() => undefined);
  return existing ? existing.mode & 0o7777 : secret ? 0o600 : 0o644;
}

function unchangedSince(snapshot: FileSnapshot): boolean {
  let now: Buffer | undefined;
  try {
    now = readFileSync(snapshot.target);
  } catch {
    now = undefined;
  }
  return now === undefined || snapshot.bytes === undefined ? now === snapshot.bytes : now.equals(snapshot.bytes);
}

interface Prepared {
  write: PlannedWrite;
  target: string;
  tmp: string;
  mode: number;
  existing?: Stats;
  backup?: string;
}

/**
 * Writes all the files or none. Every temporary (same directory as its target, flushed) is
 * prepared first; then, if no file changed since it was read, they are renamed over their
 * targets. A failed rename puts back the files already replaced. An existing file keeps its
 * mode and owner; symbolic links are followed, never replaced.
 */
export async function writeFilesAtomic(writes: PlannedWrite[], cwd: string): Promise<WriteReport> {
  const prepared: Prepared[] = [];
  const warnings: string[] = [];
  const uid = process.getuid?.();
  const gid = process.getgid?.();
  let current = writes[0]?.file ?? 'a file';
  try {
    for (const write of writes) {
      current = write.file;
      const target = await resolveTarget(path.resolve(cwd, write.file));
      const existing = await fs.stat(target).catch(() => undefined);
      const mode = existing ? existing.mode & 0o7777 : write.secret ? 0o600 : 0o644;
      if (existing && write.secret && mode & 0o077) {
        warnings.push(`${write.file} holds secrets and others may read it (mode ${octal(mode)}); its mode was kept: run chmod 600 ${shellWord(write.file)}`);
      }
      if (existing && existing.nlink > 1) {
        warnings.push(`${write.file} had ${existing.nlink} hard links: the rewrite is a new file, so the file's other names still hold the old content`);
      }
      const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
      const item: Prepared = { write, target, tmp, mode, existing };
      pendingTemporaries.add(tmp);
      prepared.push(item);
      // 0600 while it is written: the final mode (which may be wider, as the file had) comes last.
      const handle = await fs.open(tmp, 'wx', 0o600);
      try {
        await handle.writeFile(write.text, 'utf8');
        await handle.sync();
        if (existing && ((uid !== undefined && existing.uid !== uid) || (gid !== undefined && existing.gid !== gid))) {
          try {
            await handle.chown(existing.uid, existing.gid);
          } catch {
            warnings.push(`${write.file}: could not keep its owner (uid ${existing.uid}, gid ${existing.gid}); it now belongs to you`);
          }
        }
        await handle.chmod(mode);
      } finally {
        await handle.close();
      }
    }
    if (prepared.length > 1) {
      for (const item of prepared) {
        if (!item.existing) continue;
        current = item.write.file;
        item.backup = path.join(path.dirname(item.target), `.${path.basename(item.target)}.${randomBytes(6).toString('hex')}.bak`);
        pendingTemporaries.add(item.backup);
        await fs.link(item.target, item.backup).catch(() => fs.copyFile(item.target, item.backup as string, constants.COPYFILE_EXCL));
      }
    }
    // Synchronous from the last look at each file to the record of what was written: the check
    // comes just before the renames, and a signal is handled before or after the renames of a
    // batch, never between two of them.
    for (const item of prepared) {
      if (item.write.snapshot && !unchangedSince(item.write.snapshot)) {
        throw new StepError(
          `${item.write.file} changed on disk since this run read it (another program or run wrote it); nothing was written: run the command again`,
        );
      }
    }
    const replaced: Prepared[] = [];
    try {
      for (const item of prepared) {
        current = item.write.file;
        renameSync(item.tmp, item.target);
        replaced.push(item);
      }
    } catch (error) {
      for (const item of replaced.reverse()) {
        try {
          if (item.backup) renameSync(item.backup, item.target);
          else rmSync(item.target, { force: true });
        } catch {
          /* best effort: the error below names the file */
        }
      }
      throw error;
    }
    for (const item of prepared) written.push(item.write.file);
    return { modes: prepared.map((p) => p.mode), warnings };
  } catch (error) {
    if (error instanceof StepError) throw error;
    throw new StepError(`could not write ${current}: ${describeFsError(error)}; nothing was written`);
  } finally {
    for (const item of prepared) {
      for (const leftover of [item.tmp, item.backup]) {
        if (!leftover) continue;
        await fs.rm(leftover, { force: true }).catch(() => undefined);
        pendingTemporaries.delete(leftover);
      }
    }
  }
}
