import type { AccountAnswer } from '../core/answers.js';
import { readTextFile } from './files.js';

/**
 * Reads the secret an account's spec refers to. Returns a problem sentence instead of
 * throwing, so every missing secret can be listed at once. Never includes the secret itself.
 */
export async function readSecretReference(
  account: AccountAnswer,
  env: NodeJS.ProcessEnv,
  cwd: string,
  label: string,
): Promise<{ secret?: string; problem?: string }> {
  const origin = account.origin;
  if (origin?.kind === 'env') {
    const value = env[origin.variable];
    if (value === undefined || value === '') return { problem: `${label}: environment variable ${origin.variable} is not set` };
    return { secret: value };
  }
  if (origin?.kind === 'file') {
    try {
      const text = await readTextFile(origin.path, `${label}: secret file`, cwd);
      // `echo secret > file` adds one newline; it is not part of the secret.
      const secret = text.replace(/\r?\n$/, '');
      if (secret === '') return { problem: `${label}: secret file ${origin.path} is empty` };
      return { secret };
    } catch (error) {
      return { problem: (error as Error).message };
    }
  }
  return {};
}
