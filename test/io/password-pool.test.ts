import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { checkPasswordsInProcess, type PasswordCheck } from '../../src/core/password.js';
import { CHECKS_PER_WORKER, PasswordPool } from '../../src/io/password-pool.js';
import { ROOT } from '../helpers/cli.js';

const checks = (n: number): PasswordCheck[] =>
  Array.from({ length: n }, (_, i) => ({ password: i % 3 === 0 ? 'password' : `orbit-cactus-lantern-${1000 + i}-Qz`, userName: `user${i}`, mode: 'prod' as const }));
/** Built by `npm test` before the tests run. */
const BUNDLED_WORKER = path.join(ROOT, 'dist', 'password-worker.cjs');

/** A pool whose workers come from `make`, counting how many it started and which batches this thread checked. */
class Observed extends PasswordPool {
  started = 0;
  here: number[] = [];
  constructor(private readonly make?: () => Worker) {
    super(BUNDLED_WORKER);
  }
  protected override startWorker(): Worker {
    this.started += 1;
    return this.make ? this.make() : super.startWorker();
  }
  protected override checkHere(batch: PasswordCheck[]): Promise<string[][]> {
    this.here.push(batch.length);
    this.onHere?.();
    return super.checkHere(batch);
  }
  onHere?: () => void;
}

const pools: PasswordPool[] = [];
const pool = <P extends PasswordPool>(p: P) => {
  pools.push(p);
  return p;
};
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('where passwords are checked', () => {
  it('a few checks run in this thread and start no worker; generated secrets (no dictionary needed) do not count', async () => {
    const few = [...checks(CHECKS_PER_WORKER - 1), ...checks(CHECKS_PER_WORKER * 2).map((c) => ({ ...c, strengthKnown: true }))];
    const p = pool(new Observed());
    expect(await p.check(few)).toEqual(await checkPasswordsInProcess(few));
    expect(p.started).toBe(0);
  });

  it.skipIf(availableParallelism() < 2)('many are shared between this thread and the bundled worker, with the same answers as this thread alone, in order', async () => {
    const many = checks(CHECKS_PER_WORKER * 3);
    const p = pool(new Observed());
    expect(await p.check(many)).toEqual(await checkPasswordsInProcess(many));
    expect(p.started).toBe(Math.min(2, availableParallelism() - 1));
  });

  it.skipIf(availableParallelism() < 2)('a worker that fails changes nothing but the speed: its batch is checked here, and it takes no more', async () => {
    const broken = () => {
      const worker = new Worker('throw new Error("zxcvbn is missing")', { eval: true });
      worker.on('error', () => undefined);
      return worker;
    };
    const many = checks(CHECKS_PER_WORKER * 3);
    const p = pool(new Observed(broken));
    expect(await p.check(many)).toEqual(await checkPasswordsInProcess(many));
    // Every batch, the failed worker's too, was checked here.
    expect(p.here.reduce((a, b) => a + b, 0)).toBe(many.length);
  });

  it.skipIf(availableParallelism() < 2)('this thread starts at once and does not wait on a worker still starting: that one answers only the batch it took', async () => {
    // [0]: set when the slow worker may answer.
    const shared = new Int32Array(new SharedArrayBuffer(4));
    const slow = () =>
      new Worker(
        `const { parentPort, workerData } = require('node:worker_threads');
         const shared = new Int32Array(workerData);
         parentPort.on('message', ({ id, checks }) => {
           Atomics.wait(shared, 0, 0);
           parentPort.postMessage({ id, results: checks.map(() => ['slow worker']) });
         });`,
        { eval: true, workerData: shared.buffer },
      );
    const many = checks(CHECKS_PER_WORKER * 2);
    const batches = Math.ceil(many.length / 8);
    const workers = Math.min(2, availableParallelism() - 1);
    const p = pool(new Observed(slow));
    // Released once this thread has checked every batch the workers did not take at once.
    p.onHere = () => {
      if (p.here.length === batches - workers) {
        Atomics.store(shared, 0, 1);
        Atomics.notify(shared, 0);
      }
    };
    const by = (await p.check(many)).map(([answer]) => (answer === 'slow worker' ? 'worker' : 'here'));
    expect(by.filter((who) => who === 'worker')).toHaveLength(8 * workers);
    expect(by.filter((who) => who === 'here')).toHaveLength(many.length - 8 * workers);
  });
});
