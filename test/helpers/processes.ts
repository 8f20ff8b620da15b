import { existsSync, readdirSync, readFileSync, watch } from 'node:fs';
import path from 'node:path';

/** Pids of the live processes whose argv is exactly `argv` (read from /proc). */
export function processesWithArgv(argv: string[]): number[] {
  const wanted = argv.join('\0');
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0$/, '');
      if (cmdline === wanted) pids.push(Number(entry));
    } catch {
      /* gone meanwhile */
    }
  }
  return pids;
}

const KILLING = (1n << 8n) | (1n << 14n); // SIGKILL, SIGTERM as bits of /proc's pending masks
const PF_EXITING = 0x4;

/**
 * Pids of the processes with exactly this argv that will go on running: not a zombie, not
 * exiting, and with no SIGTERM or SIGKILL already pending (kill(2) returns once the signal is
 * queued, so a process signalled before the check is seen as dying, not as surviving).
 */
export function survivorsWithArgv(argv: string[]): number[] {
  return processesWithArgv(argv).filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z' || fields[0] === 'X' || (Number(fields[6]) & PF_EXITING) !== 0) return false;
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const pending = ['SigPnd', 'ShdPnd'].map((key) => BigInt(`0x${new RegExp(`^${key}:\\s*([0-9a-f]+)`, 'm').exec(status)?.[1] ?? '0'}`));
      return pending.every((mask) => (mask & KILLING) === 0n);
    } catch {
      return false;
    }
  });
}

/** Resolves when `file` exists: watches its folder, no polling. */
export function waitForFile(file: string, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const watcher = watch(path.dirname(file), () => {
      if (existsSync(file)) done();
    });
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`${file} did not appear within ${timeoutMs} ms`));
    }, timeoutMs);
    const done = () => {
      watcher.close();
      clearTimeout(timer);
      resolve();
    };
    if (existsSync(file)) done();
  });
}

/** A `sleep` duration no other process on the machine uses, to find the one a test started. */
export function uniqueSleep(): string {
  return `600.${process.pid}${Math.floor(Math.random() * 1e6)}`;
}
