import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { checkPasswordsInProcess, type PasswordCheck, type PasswordChecker } from '../core/password.js';

/** Checks that need zxcvbn, per worker: below this many, starting a worker costs more than it saves. */
export const CHECKS_PER_WORKER = 25;
const MAX_WORKERS = 2;

/**
 * zxcvbn takes about as long to load as the whole CLI, and a few milliseconds per password. A
 * worker started before the CLI (src/password-warm-up.ts) loads it on another core meanwhile,
 * and does the checks; without one, a handful of checks run in this thread, as starting a
 * worker only when they come would leave this thread waiting on it. Many checks (validate of a
 * large file) are shared out to workers that load zxcvbn side by side. Passwords travel by
 * message within the process: never on a command line.
 */
export class PasswordPool {
  private readonly workers: Worker[] = [];
  private nextId = 0;

  /** `warm`: a worker already loading zxcvbn. */
  constructor(
    private readonly workerFile: string | undefined,
    warm?: Worker,
  ) {
    if (warm) this.workers.push(warm);
  }

  readonly check: PasswordChecker = async (checks) => {
    // Generated secrets need no dictionary: they do not count.
    const scored = checks.filter((c) => !c.strengthKnown).length;
    if (scored === 0) return checkPasswordsInProcess(checks);
    const wanted = this.workerFile ? Math.min(MAX_WORKERS, availableParallelism(), Math.floor(scored / CHECKS_PER_WORKER)) : 0;
    if (this.workers.length === 0 && wanted === 0) return checkPasswordsInProcess(checks);
    if (this.workers.length < wanted) {
      const { Worker } = await import('node:worker_threads');
      while (this.workers.length < wanted) this.workers.push(new Worker(this.workerFile as string));
    }
    const slices = this.workers.length;
    const size = Math.ceil(checks.length / slices);
    const parts = await Promise.all(
      Array.from({ length: slices }, (_, i) => {
        const slice = checks.slice(i * size, (i + 1) * size);
        // A worker that failed (zxcvbn missing, out of memory) changes the speed, not the answer.
        return this.run(this.workers[i] as Worker, slice).catch(() => checkPasswordsInProcess(slice));
      }),
    );
    return parts.flat();
  };

  private run(worker: Worker, checks: PasswordCheck[]): Promise<string[][]> {
    const id = (this.nextId += 1);
    return new Promise((resolve, reject) => {
      // -1: the thread has stopped, possibly before anyone listened.
      if (worker.threadId === -1) return reject(new Error('the password worker has stopped'));
      const onMessage = (message: { id: number; results: string[][] }) => {
        if (message.id !== id) return;
        cleanup();
        resolve(message.results);
      };
      const onError = (error: Error) => {
        cleanup();
        reject(error);
      };
      const onExit = () => onError(new Error('the password worker has stopped'));
      const cleanup = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        worker.unref();
      };
      worker.ref();
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ id, checks });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((w) => w.terminate()));
  }
}

/** The bundled worker beside the bundled CLI; absent when running from sources (tests). */
export function bundledWorkerFile(moduleUrl: string): string | undefined {
  const file = fileURLToPath(new URL('./password-worker.cjs', moduleUrl));
  return existsSync(file) ? file : undefined;
}
