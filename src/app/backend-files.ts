import path from 'node:path';
import type { Document } from 'yaml';
import type { AccountAnswer, AccountKind } from '../core/answers.js';
import type { ChartProfile } from '../core/chart.js';
import type { Answers } from '../core/answers.js';
import { accountListsFrom, applyAnswers, documentValues, holdsSecrets, newValuesDocument, parseValuesDocument, renderDocument, setAccountLists, strandedAccountEntries, useExistingSecret } from '../core/values-doc.js';
import type { ValuesLike } from '../core/questions.js';
import { UsageError, ValidationError } from '../core/errors.js';
import { fileExists, readEditableFile, snapshotOf, writeFilesAtomic, type FileSnapshot, type PlannedWrite } from '../io/files.js';

/**
 * A backend's values file and, when it names addAccountOperator.existingSecret, the separate
 * credentials file that holds its accounts (chart 26.8.0+): the values file can then be
 * committed, and the credentials file (0600) is what deploy turns into the Secret.
 */
export interface BackendFiles {
  valuesFile: string;
  doc: Document;
  profile: ChartProfile;
  /** what the values file held when read (or that it did not exist): a write refuses if it changed */
  valuesSnapshot?: FileSnapshot;
  credentialsFile?: string;
  credentialsSnapshot?: FileSnapshot;
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

/**
 * How to treat the credentials file of a values file that names existingSecret: `required` by
 * every command that writes or deploys (an empty start would delete every account), `optional`
 * for validate, which only reports it missing.
 */
export type CredentialsNeed = 'required' | 'optional';

export async function loadBackendFiles(file: string, profile: ChartProfile, cwd: string, credentials?: string, need: CredentialsNeed = 'required'): Promise<BackendFiles> {
  const { text, snapshot } = await readEditableFile(file, 'values file', cwd);
  const doc = parseValuesDocument(text, file);
  const files: BackendFiles = { valuesFile: file, doc, profile, valuesSnapshot: snapshot };
  const secretName = existingSecretOf(documentValues(doc));
  if (secretName) await attachCredentials(files, credentials ?? credentialsPathFor(file), secretName, cwd, need);
  return files;
}

/** The refusal when a file names existingSecret and its accounts are nowhere to be read. */
export function missingCredentials(valuesFile: string, secretName: string, credentialsFile: string): UsageError {
  return new UsageError([
    `${valuesFile} names Secret ${secretName} (addAccountOperator.existingSecret): its accounts are read from ${credentialsFile}, which is not there (--credentials FILE); nothing was done, since starting without them would delete every account`,
  ]);
}

/**
 * Reads the credentials file of a values file that names existingSecret. `required`: it must
 * be there; `optional`: a missing one leaves an empty document that is never written.
 */
export async function attachCredentials(files: BackendFiles, credentialsFile: string, secretName: string, cwd: string, need: CredentialsNeed): Promise<void> {
  files.credentialsFile = credentialsFile;
  files.secretName = secretName;
  if (await fileExists(path.resolve(cwd, credentialsFile))) {
    const { text, snapshot } = await readEditableFile(credentialsFile, 'credentials file', cwd);
    files.credentialsDoc = parseValuesDocument(text, credentialsFile);
    files.credentialsSnapshot = snapshot;
    files.credentialsFound = true;
  } else if (need === 'required') {
    throw missingCredentials(files.valuesFile, secretName, credentialsFile);
  } else {
    files.credentialsDoc = newCredentialsDocument(files.valuesFile, secretName);
    files.credentialsFound = false;
  }
}

/**
 * Starts a credentials file for a values file entering secrets mode. An existing file there was
 * not written for it: it is neither read nor replaced without `force`.
 */
export async function startCredentials(files: BackendFiles, credentialsFile: string, secretName: string, cwd: string, force: boolean, flag: string): Promise<void> {
  const snapshot = await snapshotOf(credentialsFile, cwd);
  if (snapshot.bytes !== undefined && !force) {
    throw new UsageError([`${credentialsFile} already exists and this run did not write it; add --force to replace it (its accounts are not read), or name another file with ${flag}`]);
  }
  files.credentialsFile = credentialsFile;
  files.secretName = secretName;
  files.credentialsDoc = newCredentialsDocument(files.valuesFile, secretName);
  files.credentialsSnapshot = snapshot;
  files.credentialsFound = false;
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
  const stranded = strandedAccountEntries(documentValues(files.doc), files.profile);
  if (stranded.length) throw new ValidationError(stranded);
  let changed = applyAnswers(files.doc, { ...answers, users: [], incoming: [], outgoing: [] }, files.profile, leaveOut);
  changed = useExistingSecret(files.doc, files.profile, files.secretName) || changed;
  return setAccounts(files, { users: answers.users, incoming: answers.incoming, outgoing: answers.outgoing }) || changed;
}

/** The values file's mode: 0600 only if it holds a secret (the credentials file is always 0600). */
export function valuesFileMode(files: BackendFiles): number {
  return holdsSecrets(documentValues(files.doc), files.profile) ? 0o600 : 0o644;
}

/** The writes of these files: the credentials file (always secret) and the values file. */
export function backendWrites(files: BackendFiles): PlannedWrite[] {
  const writes: PlannedWrite[] = [];
  if (files.credentialsDoc && files.credentialsFile) {
    writes.push({ file: files.credentialsFile, text: renderDocument(files.credentialsDoc), secret: true, snapshot: files.credentialsSnapshot });
  }
  writes.push({ file: files.valuesFile, text: renderDocument(files.doc), secret: valuesFileMode(files) === 0o600, snapshot: files.valuesSnapshot });
  return writes;
}

/** Writes both files or neither; a new values file gets its mode by valuesFileMode, an existing one keeps its own. */
export async function writeBackendFiles(files: BackendFiles, cwd: string): Promise<{ valuesMode: number; warnings: string[] }> {
  const { modes, warnings } = await writeFilesAtomic(backendWrites(files), cwd);
  return { valuesMode: modes[modes.length - 1] as number, warnings };
}
