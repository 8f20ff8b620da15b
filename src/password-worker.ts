import { parentPort } from 'node:worker_threads';
import { passwordProblems, warmPasswordLibrary, type PasswordCheck } from './core/password.js';

// Bundled as CommonJS (dist/password-worker.cjs), started by src/io/password-pool.ts when a
// run has many passwords to check. Load zxcvbn at once: the point is to have it ready before
// the first batch comes.
warmPasswordLibrary();

parentPort?.on('message', ({ id, checks }: { id: number; checks: PasswordCheck[] }) => {
  parentPort?.postMessage({ id, results: checks.map((c) => passwordProblems(c.password, c.userName, c.mode, c.strengthKnown)) });
});
