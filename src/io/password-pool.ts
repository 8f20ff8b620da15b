import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { checkPasswordsInProcess, type PasswordCheck, type PasswordChecker } from '../core/password.js';

/**
 * zxcvbn takes tens of milliseconds to load and a few per password. Workers load it on the
 * other cores while the main thread parses flags and YAML, and share the checks out.
 * Passwords travel by message within the process: never on a command line.
 */
export class PasswordPool {
  private readonly workers: Worker[] = [];
  private nextId = 0;

  constructor(private readonly workerFile: string | undefined) {}

  /** Starts up to `count` workers now, so they are ready when checks come. */
  warm(count: number): void {
    if (!this.workerFile) return;
    while (this.workers.length < count) {
      const worker = new Worker(this.workerFile);
      worker.unref();
      this.workers.push(worker);
    }
  }

  readonly check: PasswordChecker = async (checks) => {
    if (checks.length === 0) return [];
    // Generated secrets need no dictionary: no worker, no zxcvbn.
    if (!this.workerFile || checks.every((c) => c.strengthKnown)) return checkPasswordsInProcess(checks);
    // One worker per ~25 checks, up to what is warm (at least one).
    this.warm(Math.max(1, this.workers.length === 0 ? 1 : 0));
    const slices = Math.min(this.workers.length, Math.max(1, Math.ceil(checks.length / 25)));
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
