import path from 'node:path';
import type { Document } from 'yaml';
import type { AccountAnswer, AccountKind } from '../core/answers.js';
import type { ChartProfile } from '../core/chart.js';
import type { Answers } from '../core/answers.js';
import { accountListsFrom, applyAnswers, documentValues, holdsSecrets, newValuesDocument, parseValuesDocument, renderDocument, setAccountLists, useExistingSecret } from '../core/values-doc.js';
import type { ValuesLike } from '../core/questions.js';
import { fileExists, readTextFile, writeFileAtomic } from '../io/files.js';

/**
 * A backend's values file and, when it names addAccountOperator.existingSecret, the separate
 * credentials file that holds its accounts (chart 26.8.0+): the values file can then be
 * committed, and the credentials file (0600) is what deploy turns into the Secret.
 */
export interface BackendFiles {
  valuesFile: string;
  doc: Document;
  profile: ChartProfile;
  credentialsFile?: string;
  credentialsDoc?: Document;
  /** the credentials file was read from disk (not started empty) */
  credentialsFound?: boolean;
  /** the Secret the values file names (addAccountOperator.existingSecret) */
  secretName?: string;
}

export const DEFAULT_ACCOUNTS_SECRET = 'backend-accounts';

export function credentialsPathFor(valuesFile: string): string {
  const ext = path.extname(valuesFile);
  const base = ext === '.yaml' || ext === '.yml' ? valuesFile.slice(0, -ext.length) : valuesFile;
  return `${base}.credentials.yaml`;
}

export function newCredentialsDocument(valuesFile: string, secretName: string): Document {
  const doc = newValuesDocument();
  doc.commentBefore =
    ` Accounts for ${path.basename(valuesFile)} (addAccountOperator.existingSecret: ${secretName}).\n` +
    ' Keep this file out of version control: substra-deploy deploy puts it in the cluster.';
  return doc;
}

export function existingSecretOf(values: ValuesLike): string | undefined {
  const accounts = values.addAccountOperator as { existingSecret?: unknown } | undefined;
  return typeof accounts?.existingSecret === 'string' && accounts.existingSecret !== '' ? accounts.existingSecret : undefined;
}

export async function loadBackendFiles(file: string, profile: ChartProfile, cwd: string, credentials?: string): Promise<BackendFiles> {
  const doc = parseValuesDocument(await readTextFile(file, 'values file', cwd), file);
  const files: BackendFiles = { valuesFile: file, doc, profile };
  const secretName = existingSecretOf(documentValues(doc));
  if (secretName) await attachCredentials(files, credentials ?? credentialsPathFor(file), secretName, cwd);
  return files;
}

export async function attachCredentials(files: BackendFiles, credentialsFile: string, secretName: string, cwd: string): Promise<void> {
  files.credentialsFile = credentialsFile;
  files.secretName = secretName;
  if (await fileExists(path.resolve(cwd, credentialsFile))) {
    files.credentialsDoc = parseValuesDocument(await readTextFile(credentialsFile, 'credentials file', cwd), credentialsFile);
    files.credentialsFound = true;
  } else {
    files.credentialsDoc = newCredentialsDocument(files.valuesFile, secretName);
    files.credentialsFound = false;
  }
}

/** The accounts, wherever they live. */
export function accountsOf(files: BackendFiles): Record<AccountKind, AccountAnswer[]> {
  return accountListsFrom(documentValues(files.credentialsDoc ?? files.doc), files.profile);
}

export function setAccounts(files: BackendFiles, lists: Partial<Record<AccountKind, AccountAnswer[]>>): boolean {
  return setAccountLists(files.credentialsDoc ?? files.doc, files.profile, lists);
}

/** The values as the backend will see them: the accounts of the credentials file merged in. */
export function effectiveValues(files: BackendFiles): ValuesLike {
  const values = documentValues(files.doc);
  if (!files.credentialsDoc) return values;
  const credentials = documentValues(files.credentialsDoc).addAccountOperator as Record<string, unknown> | undefined;
  return { ...values, addAccountOperator: { ...(values.addAccountOperator as object), ...credentials } };
}

/** Answers into the documents: accounts into the credentials file in secrets mode. */
export function placeAnswers(files: BackendFiles, answers: Answers, leaveOut?: ReadonlySet<string>): boolean {
  if (!files.credentialsDoc) {
    const changed = applyAnswers(files.doc, answers, files.profile, leaveOut);
    return useExistingSecret(files.doc, files.profile, undefined) || changed;
  }
  let changed = applyAnswers(files.doc, { ...answers, users: [], incoming: [], outgoing: [] }, files.profile, leaveOut);
  changed = useExistingSecret(files.doc, files.profile, files.secretName) || changed;
  return setAccounts(files, { users: answers.users, incoming: answers.incoming, outgoing: answers.outgoing }) || changed;
}

/** The values file's mode: 0600 only if it holds a secret (the credentials file is always 0600). */
export function valuesFileMode(files: BackendFiles): number {
  return holdsSecrets(documentValues(files.doc), files.profile) ? 0o600 : 0o644;
}

/** Writes the values file (mode by valuesFileMode) and the credentials file (0600). */
export async function writeBackendFiles(files: BackendFiles, cwd: string): Promise<{ valuesMode: number }> {
  const valuesMode = valuesFileMode(files);
  if (files.credentialsDoc && files.credentialsFile) {
    await writeFileAtomic(path.resolve(cwd, files.credentialsFile), renderDocument(files.credentialsDoc), 0o600);
  }
  await writeFileAtomic(path.resolve(cwd, files.valuesFile), renderDocument(files.doc), valuesMode);
  return { valuesMode };
}
