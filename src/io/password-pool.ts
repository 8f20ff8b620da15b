import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { checkPasswordsInProcess, type PasswordCheck, type PasswordChecker } from '../core/password.js';

/** Checks that need zxcvbn, per worker: below this many, a worker costs more than it saves. */
export const CHECKS_PER_WORKER = 25;
const MAX_WORKERS = 2;

/**
 * zxcvbn takes tens of milliseconds to load and a few per password. A handful of checks (init,
 * deploy, link: a few users) run in this thread: a worker would start a second Node
 * environment and load zxcvbn there only for this thread to wait on it, which `npm run bench`
 * showed slower than loading zxcvbn here (start-up is measured against a bare script that loads
 * zxcvbn and scores). Many checks (validate of a large file) are shared out to workers that
 * load zxcvbn side by side. Passwords travel by message within the process: never on a command
 * line.
 */
export class PasswordPool {
  private readonly workers: Worker[] = [];
  private nextId = 0;

  constructor(private readonly workerFile: string | undefined) {}

  readonly check: PasswordChecker = async (checks) => {
    // Generated secrets need no dictionary: they do not count.
    const scored = checks.filter((c) => !c.strengthKnown).length;
    if (!this.workerFile || scored < CHECKS_PER_WORKER) return checkPasswordsInProcess(checks);
    const wanted = Math.min(MAX_WORKERS, availableParallelism(), Math.ceil(scored / CHECKS_PER_WORKER));
    const { Worker } = await import('node:worker_threads');
    while (this.workers.length < wanted) this.workers.push(new Worker(this.workerFile));
    const slices = this.workers.length;
    const size = Math.ceil(checks.length / slices);
    const parts = await Promise.all(
      Array.from({ length: slices }, (_, i) => this.run(this.workers[i] as Worker, checks.slice(i * size, (i + 1) * size))),
    );
    return parts.flat();
  };

  private run(worker: Worker, checks: PasswordCheck[]): Promise<string[][]> {
    const id = (this.nextId += 1);
    return new Promise((resolve, reject) => {
      const onMessage = (message: { id: number; results: string[][] }) => {
        if (message.id !== id) return;
        cleanup();
        resolve(message.results);
      };
      const onError = (error: Error) => {
        cleanup();
        reject(error);
      };
      const cleanup = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.unref();
      };
      worker.ref();
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.postMessage({ id, checks });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((w) => w.terminate()));
  }
}

/** The bundled worker beside the bundled CLI; absent when running from sources (tests). */
export function bundledWorkerFile(moduleUrl: string): string | undefined {
  const file = fileURLToPath(new URL('./password-worker.js', moduleUrl));
  return existsSync(file) ? file : undefined;
}
