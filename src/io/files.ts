import { randomBytes } from 'node:crypto';
import { constants, promises as fs, rmSync } from 'node:fs';
import path from 'node:path';
import { InputError, StepError, UsageError } from '../core/errors.js';

/** A values file of this size is already far past any real one; refuse before parsing. */
export const MAX_INPUT_BYTES = 5 * 1024 * 1024;

/** `file` is resolved against `cwd`; messages name it as the operator wrote it. */
export async function readTextFile(file: string, what: string, cwd = process.cwd()): Promise<string> {
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
    const text = await fs.readFile(file, 'utf8');
    // Editors on some systems write a byte-order mark; YAML does not want it.
    return text.startsWith('\ufeff') ? text.slice(1) : text;
  } catch (error) {
    throw new InputError(`${what} ${shown}: ${describeFsError(error)}`);
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
  const dir = path.dirname(path.resolve(cwd, file));
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
 * Makes `dir` (with its parents) if it is not there; returns whether it had to. A path that
 * exists and is not a folder is a usage error, as for --output.
 */
export async function ensureDirectory(dir: string, flag: string, cwd: string): Promise<boolean> {
  const target = path.resolve(cwd, dir);
  try {
    if ((await fs.stat(target)).isDirectory()) return false;
    throw new UsageError([`${flag} ${dir}: is not a folder`]);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new UsageError([`${flag} ${dir}: ${describeFsError(error)}`]);
  }
  try {
    await fs.mkdir(target, { recursive: true });
  } catch (error) {
    throw new UsageError([`${flag} ${dir}: could not create it (${describeFsError(error)})`]);
  }
  return true;
}

/** Whether `dir` is an existing folder (the dry run says which folders it would create). */
export async function directoryExists(dir: string): Promise<boolean> {
  try {
    return (await fs.stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

const pendingTemporaries = new Set<string>();

/** Removes temporary files and folders of work cut short (called on SIGINT before exiting). */
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

/**
 * Atomic write: a temporary file in the same directory, flushed, then renamed over the target,
 * so an interrupted run leaves the old file or none. `mode` applies from the first byte.
 */
export async function writeFileAtomic(file: string, text: string, mode: number): Promise<void> {
  const target = path.resolve(file);
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  pendingTemporaries.add(tmp);
  let handle;
  try {
    handle = await fs.open(tmp, 'wx', mode);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.chmod(tmp, mode);
    await fs.rename(tmp, target);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw new StepError(`could not write ${file}: ${describeFsError(error)}`);
  } finally {
    pendingTemporaries.delete(tmp);
  }
}
