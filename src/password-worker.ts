import { parentPort } from 'node:worker_threads';
import { passwordProblems, warmPasswordLibrary, type PasswordCheck } from './core/password.js';

// Bundled as CommonJS (dist/password-worker.cjs): a worker started this early should not also
// start a module loader. Load zxcvbn at once: the point is to have it ready before it is asked.
warmPasswordLibrary();

parentPort?.on('message', ({ id, checks }: { id: number; checks: PasswordCheck[] }) => {
  parentPort?.postMessage({ id, results: checks.map((c) => passwordProblems(c.password, c.userName, c.mode, c.strengthKnown)) });
});
