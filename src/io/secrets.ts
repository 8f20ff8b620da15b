import type { AccountAnswer } from '../core/answers.js';
import { readTextFile } from './files.js';

/**
 * No secret the backend stores is longer than 128 characters (a password 64): a longer one is
 * the wrong variable or file, and is refused before any check spends time on it.
 */
export const MAX_SECRET_LENGTH = 1024;

const tooLong = (label: string, where: string, secret: string) =>
  `${label}: ${where} holds ${secret.length} characters; no secret of the backend is longer than 128 (a password 64): is it the right one?`;

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
    if (value === undefined) return { problem: `${label}: environment variable ${origin.variable} is not set` };
    if (value === '') return { problem: `${label}: environment variable ${origin.variable} is empty` };
    if (value.length > MAX_SECRET_LENGTH) return { problem: tooLong(label, `environment variable ${origin.variable}`, value) };
    return { secret: value };
  }
  if (origin?.kind === 'file') {
    try {
      const text = await readTextFile(origin.path, `${label}: secret file`, cwd);
      // `echo secret > file` adds one newline; it is not part of the secret.
      const secret = text.replace(/\r?\n$/, '');
      if (secret === '') return { problem: `${label}: secret file ${origin.path} is empty` };
      if (secret.length > MAX_SECRET_LENGTH) return { problem: tooLong(label, `secret file ${origin.path}`, secret) };
      return { secret };
    } catch (error) {
      return { problem: (error as Error).message };
    }
  }
  return {};
}
