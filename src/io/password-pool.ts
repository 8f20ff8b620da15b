import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { checkPasswordsInProcess, type PasswordCheck, type PasswordChecker } from '../core/password.js';

/** Checks that need zxcvbn, per worker: below this many, this thread is done before a worker is ready to help. */
export const CHECKS_PER_WORKER = 25;
/** Workers beside this thread, at most: each holds its own zxcvbn. */
const MAX_WORKERS = 2;
/** Checks taken at a time, by a worker or by this thread: small enough to share the work out evenly. */
const BATCH = 8;

/**
 * zxcvbn loads in a few milliseconds (from its code cache) and takes a few per password: a
 * handful of checks run in this thread. Many (validate of a large file) are shared out in
 * batches between this thread, which starts at once, and a worker per other core (two at most), which joins
 * as soon as it has started: each takes the next batch when it is free. Passwords travel by
 * message within the process: never on a command line.
 */
export class PasswordPool {
  private readonly workers: Worker[] = [];
  private nextId = 0;
  /** Batches each worker has yet to answer: referenced while any is, as checks may share it. */
  private readonly pending = new Map<Worker, number>();

  constructor(protected readonly workerFile: string | undefined) {}

  readonly check: PasswordChecker = async (checks) => {
    // Generated secrets need no dictionary: they do not count.
    const scored = checks.filter((c) => !c.strengthKnown).length;
    const wanted = this.workerFile ? Math.min(MAX_WORKERS, availableParallelism() - 1, Math.floor(scored / CHECKS_PER_WORKER)) : 0;
    if (this.workers.length === 0 && wanted <= 0) return checkPasswordsInProcess(checks);
    while (this.workers.length < wanted) this.workers.push(this.startWorker());
    const results: string[][] = [];
    let next = 0;
    const batch = () => {
      const start = next;
      next += BATCH;
      return { start, checks: checks.slice(start, next) };
    };
    const record = (start: number, answers: string[][]) => answers.forEach((answer, i) => (results[start + i] = answer));
    const inThisThread = async (): Promise<void> => {
      while (next < checks.length) {
        const { start, checks: taken } = batch();
        record(start, await this.checkHere(taken));
        // Between batches, the workers' answers come in and they take the next batches.
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const inWorker = async (worker: Worker): Promise<void> => {
      while (next < checks.length) {
        const { start, checks: taken } = batch();
        // A worker that failed (zxcvbn missing, out of memory) changes the speed, not the
        // answer: this thread checks its batch, and it takes no more.
        const answers = await this.run(worker, taken).catch(() => undefined);
        if (!answers) return record(start, await this.checkHere(taken));
        record(start, answers);
      }
    };
    await Promise.all([inThisThread(), ...this.workers.map(inWorker)]);
    return results;
  };

  /** Checks a batch in this thread. */
  protected checkHere(checks: PasswordCheck[]): Promise<string[][]> {
    return checkPasswordsInProcess(checks);
  }

  /** A new worker, which loads zxcvbn as it starts. */
  protected startWorker(): Worker {
    // require(), not import(): the CLI runs from a compiled script (src/code-cache.ts), which cannot import().
    const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
    // stdout/stderr: true, as it prints nothing: by default the parent pipes a worker's output
    // into its own. Unreferenced while it has nothing to do: it never keeps the process alive.
    const worker = new Worker(this.workerFile as string, { stdout: true, stderr: true });
    worker.unref();
    worker.on('error', () => undefined);
    return worker;
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
        const left = (this.pending.get(worker) ?? 1) - 1;
        this.pending.set(worker, left);
        if (left === 0) worker.unref();
      };
      this.pending.set(worker, (this.pending.get(worker) ?? 0) + 1);
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
