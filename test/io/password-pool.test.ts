import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkPasswordsInProcess, type PasswordCheck } from '../../src/core/password.js';
import { CHECKS_PER_WORKER, PasswordPool } from '../../src/io/password-pool.js';
import { ROOT, tempDir } from '../helpers/cli.js';

const checks = (n: number): PasswordCheck[] =>
  Array.from({ length: n }, (_, i) => ({ password: i % 3 === 0 ? 'password' : `orbit-cactus-lantern-${1000 + i}-Qz`, userName: `user${i}`, mode: 'prod' as const }));

let pool: PasswordPool | undefined;
afterEach(() => pool?.close());

describe('where passwords are checked', () => {
  it('runs a few checks in this thread, generated secrets not counted: no worker is started (a missing worker file is never touched)', async () => {
    pool = new PasswordPool(path.join(tempDir(), 'no-such-worker.js'));
    const few = [...checks(CHECKS_PER_WORKER - 1), ...checks(CHECKS_PER_WORKER * 2).map((c) => ({ ...c, strengthKnown: true }))];
    expect(await pool.check(few)).toEqual(await checkPasswordsInProcess(few));
  });

  it('shares many checks out to the bundled workers, with the same answers as this thread, in order', async () => {
    // Built by `npm test` before the tests run.
    pool = new PasswordPool(path.join(ROOT, 'dist', 'password-worker.js'));
    const many = checks(CHECKS_PER_WORKER * 2);
    expect(await pool.check(many)).toEqual(await checkPasswordsInProcess(many));
    const missing = new PasswordPool(path.join(tempDir(), 'no-such-worker.js'));
    await expect(missing.check(many)).rejects.toThrow();
    await missing.close();
  });
});
