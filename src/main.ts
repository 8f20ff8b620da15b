import { Cancelled } from './core/errors.js';
import { writeSync } from 'node:fs';
import { stopRunningCommands } from './io/children.js';
import { interruptionDocument, interruptionNotes } from './io/interruption.js';
import { interruptionNote, removePendingTemporaries } from './io/files.js';
import { bundledWorkerFile } from './io/password-pool.js';
import { main } from './cli.js';

/** The process edge: wires real streams, signals and the exit code. */
export async function run(version: string): Promise<void> {
  // A Ctrl-C outside a prompt (prompts turn it into Cancelled themselves): leave no temporary.
  // `substra-deploy … | head` closes the pipe early; that is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  // Ctrl-C, `kill` and a closed terminal alike: stop the children (each in its own process
  // group), remove temporaries, locks and the private folder of account lines, say truthfully
  // what was written, and exit 130.
  const interrupted = () => {
    stopRunningCommands();
    removePendingTemporaries();
    const note = [interruptionNote(), ...interruptionNotes()].join('\n');
    process.stderr.write(`\n${note}\n`);
    // With --json, stdout still holds its one document; written at once, as the process exits.
    const document = interruptionDocument(note);
    if (document) writeSync(1, `${document}\n`);
    process.exit(130);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, interrupted);
  const code = await main({
    argv: process.argv.slice(2),
    env: process.env,
    cwd: process.cwd(),
    // On first use only: opening stdin costs a stream, and a non-interactive run never reads it.
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
    version,
    passwordWorkerFile: bundledWorkerFile(import.meta.url),
  }).catch((error: unknown) => (error instanceof Cancelled ? 130 : Promise.reject(error)));
  process.exitCode = code;
}

/** The CLI in-process, for the build's code-cache run (scripts/code-cache-train.cjs). */
export { main } from './cli.js';
