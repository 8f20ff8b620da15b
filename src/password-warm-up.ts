import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';

/**
 * Loaded by bin/substra-deploy.js before the CLI itself (bundled as CommonJS, so it costs no
 * module loader): a run that will score passwords starts the password worker at once, and
 * zxcvbn (about as long to load as the whole CLI) loads on another core while the CLI starts.
 * Everything here is a guess from the raw command line: a wrong one costs time, never a
 * result (unasked, checks run in the CLI's thread; unused, the worker is stopped at exit).
 */
export function willScorePasswords(args: string[], env: NodeJS.ProcessEnv): boolean {
  if (args.includes('--help') || args.includes('-h')) return false;
  const command = args.find((a) => !a.startsWith('-'));
  // Each reads a values file whose users' passwords it checks.
  if (command === 'validate' || command === 'deploy' || command === 'link') return true;
  if (command !== 'init') return false;
  // init checks the passwords of an edited file and those read from the environment or files;
  // generated ones need no dictionary.
  const typed = (spec: string) => /(^|,)password-(env|file)=/.test(spec);
  return (
    Boolean(env.SUBSTRA_USERS && typed(env.SUBSTRA_USERS)) ||
    args.some((a, i) => a === '--values' || a.startsWith('--values=') || (args[i - 1] === '--user' && typed(a)) || (a.startsWith('--user=') && typed(a)))
  );
}

/** What the warm-up tells the worker it starts. */
export interface PasswordWorkerData {
  fromEnv: PasswordFromEnv[];
}

/** A user whose password the run will read from an environment variable (its name only). */
export interface PasswordFromEnv {
  userName: string;
  variable: string;
}

/**
 * The users of --user (then SUBSTRA_USERS) specs whose password is in a variable: the worker
 * scores those passwords as soon as zxcvbn is loaded, before the CLI asks. Read as the spec
 * parser does (NAME,KEY=VALUE,...); a spec it refuses only costs the worker some time.
 */
export function passwordsFromEnv(args: string[], env: NodeJS.ProcessEnv): PasswordFromEnv[] {
  const specs = args.flatMap((a, i) => (args[i - 1] === '--user' ? [a] : a.startsWith('--user=') ? [a.slice('--user='.length)] : []));
  if (env.SUBSTRA_USERS) specs.push(...env.SUBSTRA_USERS.split(/\s+/));
  return specs.flatMap((spec) => {
    const [userName = '', ...items] = spec.split(',').map((item) => item.trim());
    const variable = items.map((item) => item.split('=')).find(([key]) => key?.trim() === 'password-env')?.[1]?.trim();
    return variable ? [{ userName, variable }] : [];
  });
}

/** The bundled password worker, started if this run will score passwords. */
export function startPasswordWorker(args: string[], env: NodeJS.ProcessEnv): Worker | undefined {
  if (!willScorePasswords(args, env)) return undefined;
  // Only now: most runs never need worker threads.
  const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
  // stdout/stderr: true, as it prints nothing: by default the parent pipes a worker's output
  // into its own, which opens process.stdout and process.stderr now, on the start-up path.
  // Variable names, not passwords: the worker reads its own copy of the environment.
  const workerData: PasswordWorkerData = { fromEnv: passwordsFromEnv(args, env) };
  const worker = new Worker(new URL('./password-worker.cjs', import.meta.url), { stdout: true, stderr: true, workerData });
  // A worker nobody asked for must not keep the process alive; one that fails before it is
  // asked must not bring the CLI down (the pool then checks in its own thread).
  worker.unref();
  worker.on('error', () => undefined);
  return worker;
}
