import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GUIDE_ENV, GUIDE_FLAGS, tempDir } from '../helpers/cli.js';
import { runMain } from '../helpers/in-process.js';

/** Wall time of one in-process run, with its result. */
async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await run();
  return [result, performance.now() - started];
}

describe('cheap checks come first', () => {
  it('a 1,000-character password is refused by the length rule without zxcvbn (which took 23 s on it)', async () => {
    const dir = tempDir();
    const [r, ms] = await timed(() => runMain(GUIDE_FLAGS, { cwd: dir, env: { ...GUIDE_ENV, ADMIN_PASSWORD: 'Xk9#mP2$vLq7'.repeat(84).slice(0, 1000) } }));
    expect(r.stderr).toContain('addAccountOperator.users[0].secret: must be at most 64 characters (it has 1000)');
    expect(r.stderr).not.toContain('too easy to guess');
    expect(r.code).toBe(1);
    expect(ms).toBeLessThan(5000);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('validate of a file holding a 100 KB password answers at once', async () => {
    const dir = tempDir();
    expect((await runMain(GUIDE_FLAGS, { cwd: dir, env: GUIDE_ENV })).code).toBe(0);
    const file = path.join(dir, 'backend-values.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(GUIDE_ENV.ADMIN_PASSWORD, 'aB3$'.repeat(25_000)));
    const [r, ms] = await timed(() => runMain(['validate', 'backend-values.yaml'], { cwd: dir }));
    expect(r.stderr).toContain('must be at most 64 characters (it has 100000)');
    expect(r.code).toBe(1);
    expect(ms).toBeLessThan(5000);
  });

  it('a secret far past any real size, from a variable, is refused before any check and not shown', async () => {
    const huge = 'Q'.repeat(5000);
    const r = await runMain(GUIDE_FLAGS, { cwd: tempDir(), env: { ...GUIDE_ENV, BIO_OUT: huge } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--outgoing biotechnica: environment variable BIO_OUT holds 5000 characters; no secret of the backend is longer than 128 (a password 64)');
    expect(r.stderr).not.toContain('QQQQQQQQ');
  });

  it('a spec far past any real size is refused without being echoed', async () => {
    const spec = `bob,channel=our-channel,password-env=${'P'.repeat(5000)}`;
    const r = await runMain([...GUIDE_FLAGS, '--user', spec], { cwd: tempDir(), env: GUIDE_ENV });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--user: a spec of ${spec.length} characters is past any real one (at most 1024); check the value`);
    expect(r.stderr).not.toContain('PPPPPPPP');
  });

  it('a literal password in a spec is refused whatever the key\'s case, and not echoed', async () => {
    const r = await runMain([...GUIDE_FLAGS, '--user', 'bob,channel=our-channel,PassWord=Literal-Password-1234567'], { cwd: tempDir(), env: GUIDE_ENV });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('never taken on the command line');
    expect(r.stderr).not.toContain('Literal-Password-1234567');
  });
});
