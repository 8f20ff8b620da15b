import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { checkPasswordsInProcess, type PasswordCheck } from '../../src/core/password.js';
import { CHECKS_PER_WORKER, PasswordPool } from '../../src/io/password-pool.js';
import { passwordsFromEnv, startPasswordWorker, willScorePasswords } from '../../src/password-warm-up.js';
import { ROOT, tempDir } from '../helpers/cli.js';

const checks = (n: number): PasswordCheck[] =>
  Array.from({ length: n }, (_, i) => ({ password: i % 3 === 0 ? 'password' : `orbit-cactus-lantern-${1000 + i}-Qz`, userName: `user${i}`, mode: 'prod' as const }));
const missingWorker = () => path.join(tempDir(), 'no-such-worker.cjs');

/** A worker that answers every check with where it was checked. */
const answeringWorker = () =>
  new Worker(
    `const { parentPort } = require('node:worker_threads');
     parentPort.on('message', ({ id, checks }) => parentPort.postMessage({ id, results: checks.map(() => ['checked by the warm worker']) }));`,
    { eval: true },
  );

const pools: PasswordPool[] = [];
const pool = (...args: ConstructorParameters<typeof PasswordPool>) => {
  const p = new PasswordPool(...args);
  pools.push(p);
  return p;
};
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('where passwords are checked', () => {
  it('without a warm worker, runs a few checks in this thread, generated secrets not counted: no worker is started for them', async () => {
    const few = [...checks(CHECKS_PER_WORKER - 1), ...checks(CHECKS_PER_WORKER * 2).map((c) => ({ ...c, strengthKnown: true }))];
    expect(await pool(missingWorker()).check(few)).toEqual(await checkPasswordsInProcess(few));
  });

  it('hands even a few checks to the worker started before the CLI, which has zxcvbn loading already', async () => {
    expect(await pool(missingWorker(), answeringWorker()).check(checks(2))).toEqual([['checked by the warm worker'], ['checked by the warm worker']]);
    // Generated secrets alone need no dictionary, and no worker.
    const generated = checks(2).map((c) => ({ ...c, strengthKnown: true }));
    expect(await pool(missingWorker(), answeringWorker()).check(generated)).toEqual(await checkPasswordsInProcess(generated));
  });

  it('shares many checks out to the bundled workers, with the same answers as this thread, in order', async () => {
    // Built by `npm test` before the tests run.
    const many = checks(CHECKS_PER_WORKER * 2);
    expect(await pool(path.join(ROOT, 'dist', 'password-worker.cjs')).check(many)).toEqual(await checkPasswordsInProcess(many));
  });

  it('does not wait on a worker that failed: its checks run in this thread', async () => {
    const broken = new Worker('throw new Error("zxcvbn is missing")', { eval: true });
    broken.on('error', () => undefined);
    await new Promise((resolve) => broken.once('exit', resolve));
    expect(await pool(missingWorker(), broken).check(checks(3))).toEqual(await checkPasswordsInProcess(checks(3)));
    const many = checks(CHECKS_PER_WORKER * 2);
    expect(await pool(missingWorker()).check(many)).toEqual(await checkPasswordsInProcess(many));
  });
});

describe('which runs start the password worker before the CLI', () => {
  it('those that will score typed passwords, not generated ones, nor help', () => {
    const yes = [
      ['validate', 'backend-values.yaml'],
      ['deploy', '--values', 'backend-values.yaml', '--dry-run'],
      ['link', 'a.yaml', 'b.yaml'],
      ['init', '--values', 'backend-values.yaml'],
      ['--no-color', 'init', '--user', 'admin,channel=c,password-env=ADMIN_PASSWORD'],
      ['init', '--user=admin,password-file=pw.txt'],
    ];
    const no = [
      ['init', '--user', 'admin,channel=c', '--generate-passwords'],
      ['init', '--organization', 'password-env=X'],
      ['network', 'network.yaml'],
      ['schema'],
      ['validate', '--help'],
      [],
    ];
    for (const args of yes) expect(willScorePasswords(args, {}), args.join(' ')).toBe(true);
    for (const args of no) expect(willScorePasswords(args, {}), args.join(' ')).toBe(false);
    expect(willScorePasswords(['init'], { SUBSTRA_USERS: 'admin,password-env=A bob,password-file=b' })).toBe(true);
    expect(willScorePasswords(['init'], { SUBSTRA_USERS: 'admin bob' })).toBe(false);
  });
});

describe('the passwords the warm worker scores before it is asked', () => {
  it('are those --user specs (then SUBSTRA_USERS) take from a variable, each with its user name, read as the spec parser reads them; only names travel', () => {
    const args = ['init', '--user', 'admin,channel=c,password-env=ADMIN_PASSWORD', '--user= bob , password-env = BOB_PW ,channel=c', '--user', 'carol,password-file=pw.txt', '--organization', 'dave,password-env=NOT_A_USER'];
    expect(passwordsFromEnv(args, { SUBSTRA_USERS: 'erin,channel=c,password-env=ERIN_PW frank,channel=c' })).toEqual([
      { userName: 'admin', variable: 'ADMIN_PASSWORD' },
      { userName: 'bob', variable: 'BOB_PW' },
      { userName: 'erin', variable: 'ERIN_PW' },
    ]);
    expect(passwordsFromEnv(['validate', 'backend-values.yaml'], {})).toEqual([]);
  });
});

describe('starting the warm worker', () => {
  it('opens neither stdout nor stderr: by default the parent pipes a worker output into its own, which creates both streams on the start-up path', async () => {
    const opened: string[] = [];
    const streams = ['stdout', 'stderr'] as const;
    const originals = streams.map((name) => [name, Object.getOwnPropertyDescriptor(process, name) as PropertyDescriptor] as const);
    for (const [name, descriptor] of originals) {
      Object.defineProperty(process, name, {
        configurable: true,
        get: () => {
          opened.push(name);
          return descriptor.get ? descriptor.get.call(process) : descriptor.value;
        },
      });
    }
    let worker: Worker | undefined;
    try {
      // From the sources its bundled worker file is missing: the worker fails, after starting.
      worker = startPasswordWorker(['validate', 'backend-values.yaml'], {});
    } finally {
      for (const [name, descriptor] of originals) Object.defineProperty(process, name, descriptor);
    }
    expect(worker).toBeDefined();
    expect(opened).toEqual([]);
    await worker?.terminate();
  });
});

describe('sharing many checks between a warm worker and one started late', () => {
  it.skipIf(availableParallelism() < 2)('the late one takes only what is left when it is ready: it does not hold half of the checks while it loads', async () => {
    // [0]: the late worker may answer; [1]: batches the warm worker has answered.
    const shared = new Int32Array(new SharedArrayBuffer(8));
    const warm = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const shared = new Int32Array(workerData);
       parentPort.on('message', ({ id, checks }) => {
         parentPort.postMessage({ id, results: checks.map(() => ['warm']) });
         Atomics.add(shared, 1, 1);
         Atomics.notify(shared, 1);
       });`,
      { eval: true, workerData: shared.buffer },
    );
    class LateStart extends PasswordPool {
      protected override async startWorker(): Promise<Worker> {
        // Still "loading" until released: it answers nothing before.
        return new Worker(
          `const { parentPort, workerData } = require('node:worker_threads');
           const shared = new Int32Array(workerData);
           parentPort.on('message', ({ id, checks }) => {
             Atomics.wait(shared, 0, 0);
             parentPort.postMessage({ id, results: checks.map(() => ['late']) });
           });`,
          { eval: true, workerData: shared.buffer },
        );
      }
    }
    const late = new LateStart('stand-in', warm);
    pools.push(late);
    const many = checks(CHECKS_PER_WORKER * 2);
    const answers = late.check(many);
    // The warm worker answers every batch but the one the late worker took at once.
    const batches = Math.ceil(many.length / 8);
    while (Atomics.load(shared, 1) < batches - 1) {
      const seen = Atomics.load(shared, 1);
      const { async, value } = Atomics.waitAsync(shared, 1, seen, 20_000);
      expect(async ? await value : value, `the warm worker stopped at ${seen} of ${batches - 1} batches`).not.toBe('timed-out');
    }
    Atomics.store(shared, 0, 1);
    Atomics.notify(shared, 0);
    const by = (await answers).map(([who]) => who);
    expect(by.filter((who) => who === 'late')).toHaveLength(8);
    expect(by.filter((who) => who === 'warm')).toHaveLength(many.length - 8);
  });
});
