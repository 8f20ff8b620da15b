import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { checkPasswordsInProcess, type PasswordCheck, type PasswordChecker } from '../core/password.js';

/** Checks that need zxcvbn, per worker: below this many, starting a worker costs more than it saves. */
export const CHECKS_PER_WORKER = 25;
const MAX_WORKERS = 2;
/** Checks sent to a worker at a time: small enough to share the work out evenly. */
const BATCH = 8;

/**
 * zxcvbn takes about as long to load as the whole CLI, and a few milliseconds per password. A
 * worker started before the CLI (src/password-warm-up.ts) loads it on another core meanwhile,
 * and does the checks; without one, a handful of checks run in this thread, as starting a
 * worker only when they come would leave this thread waiting on it. Many checks (validate of a
 * large file) are shared out in batches to up to two workers, each taking the next batch when
 * it is free. Passwords travel by message within the process: never on a command line.
 */
export class PasswordPool {
  private readonly workers: Worker[] = [];
  private nextId = 0;

  /** `warm`: a worker already loading zxcvbn. */
  constructor(
    protected readonly workerFile: string | undefined,
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
    while (this.workers.length < wanted) this.workers.push(await this.startWorker());
    // Workers take batches as they become free: one warm since start-up does most of the work
    // while one started now still loads zxcvbn.
    const results: string[][] = [];
    let next = 0;
    const take = async (worker: Worker | undefined): Promise<void> => {
      while (next < checks.length) {
        const start = next;
        next += BATCH;
        const batch = checks.slice(start, next);
        // A worker that failed (zxcvbn missing, out of memory) changes the speed, not the
        // answer: this thread takes its place.
        const answers = (worker && (await this.run(worker, batch).catch(() => (worker = undefined)))) || (await checkPasswordsInProcess(batch));
        answers.forEach((answer, i) => (results[start + i] = answer));
      }
    };
    await Promise.all(this.workers.map(take));
    return results;
  };

  /** A new worker, which loads zxcvbn as it starts. */
  protected async startWorker(): Promise<Worker> {
    // require(), not import(): the CLI runs from a compiled script (src/code-cache.ts), which cannot import().
    const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
    // It prints nothing: its output is not piped into this process's (see password-warm-up.ts).
    return new Worker(this.workerFile as string, { stdout: true, stderr: true });
  }

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
