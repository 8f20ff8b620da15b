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
