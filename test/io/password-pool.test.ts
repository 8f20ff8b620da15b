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

describe('a run that waits on a worker', () => {
  it.skipIf(availableParallelism() < 2)('keeps the process alive while any check waits on it, when two checks share it: the first one done does not let the process exit under the second', async () => {
    // Answers at once, but the batches of passwords starting "held" only when told to.
    let referenced = false;
    let worker: Worker | undefined;
    const make = () => {
      worker = new Worker(
        `const { parentPort } = require('node:worker_threads');
         const held = [];
         parentPort.on('message', (message) => {
           if (message === 'release') return held.splice(0).forEach((m) => parentPort.postMessage(m));
           const answer = { id: message.id, results: message.checks.map(() => []) };
           if (message.checks[0].password.startsWith('held')) held.push(answer);
           else parentPort.postMessage(answer);
         });`,
        { eval: true },
      );
      const [ref, unref] = [worker.ref.bind(worker), worker.unref.bind(worker)];
      worker.ref = () => ((referenced = true), ref());
      worker.unref = () => ((referenced = false), unref());
      worker.unref();
      return worker;
    };
    const p = pool(new Observed(make));
    // Only this thread's checks (in process) differ: the worker answers [] for each.
    const first = p.check(checks(CHECKS_PER_WORKER));
    const second = p.check(checks(CHECKS_PER_WORKER).map((c) => ({ ...c, password: `held-${c.password}` })));
    await first;
    // The second check still waits on the worker: were it unreferenced, nothing would keep
    // the process alive, and it would exit 0 before the answer.
    expect(referenced).toBe(true);
    worker?.postMessage('release');
    expect(await second).toHaveLength(CHECKS_PER_WORKER);
    expect(referenced).toBe(false);
  });
});
