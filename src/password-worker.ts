import { parentPort, workerData } from 'node:worker_threads';
import { passwordProblems, primePasswordStrength, warmPasswordLibrary, type PasswordCheck } from './core/password.js';
import type { PasswordWorkerData } from './password-warm-up.js';

// Bundled as CommonJS (dist/password-worker.cjs): a worker started this early should not also
// start a module loader. Load zxcvbn at once: the point is to have it ready before it is asked.
warmPasswordLibrary();
// Then score the passwords the command line named, which the CLI will ask about once it has
// read and checked everything else: the answers are ready when it asks.
for (const { userName, variable } of (workerData as PasswordWorkerData | undefined)?.fromEnv ?? []) {
  const password = process.env[variable];
  if (password) primePasswordStrength(password, userName);
}

parentPort?.on('message', ({ id, checks }: { id: number; checks: PasswordCheck[] }) => {
  parentPort?.postMessage({ id, results: checks.map((c) => passwordProblems(c.password, c.userName, c.mode, c.strengthKnown)) });
});
