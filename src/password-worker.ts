import { parentPort } from 'node:worker_threads';
import { passwordProblems, warmPasswordLibrary, type PasswordCheck } from './core/password.js';

// Load zxcvbn at once: the point of this worker is to have it ready before it is asked.
warmPasswordLibrary();

parentPort?.on('message', ({ id, checks }: { id: number; checks: PasswordCheck[] }) => {
  parentPort?.postMessage({ id, results: checks.map((c) => passwordProblems(c.password, c.userName, c.mode, c.strengthKnown)) });
});
