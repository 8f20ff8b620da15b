import path from 'node:path';
import type { Document } from 'yaml';
import type { AccountAnswer, AccountKind, Answers } from '../core/answers.js';
import { chartProfile, type ChartProfile } from '../core/chart.js';
import { UsageError, ValidationError, type Issue } from '../core/errors.js';
import { generateSecret } from '../core/generate.js';
import { linkOrganizations, secretChangeIneffective, type OrgLinks } from '../core/link.js';
import { mspIDOf, organizationAnswers, orchestratorChannelValues, orchestratorSettings, specUsers, validateNetworkSpec, type NetworkSpec } from '../core/network-spec.js';
import { orchestratorChartEdits } from '../core/orchestrator-chart.js';
import { validateValues } from '../core/validate.js';
import { answersFromValues, documentValues, linkEntryRepairs, newValuesDocument, parseValuesDocument, renderDocument, setValueAt } from '../core/values-doc.js';
import { directoryExists, ensureDirectory, fileExists, lockFiles, readEditableFile, readTextFile, removeEmptyDirectory, snapshotOf, writeFilesAtomic, type FileSnapshot, type PlannedWrite } from '../io/files.js';
import {
  accountsOf,
  backendWrites,
  credentialsPathFor,
  DEFAULT_ACCOUNTS_SECRET,
  effectiveValues,
  existingSecretOf,
  loadBackendFiles,
  placeAnswers,
  startCredentials,
  type BackendFiles,
} from '../app/backend-files.js';
import type { CommandContext } from '../app/context.js';

export interface NetworkFlags {
  outputDir?: string;
  chartVersion?: string;
  rotate?: boolean;
  fix?: boolean;
  prune?: boolean;
  dryRun?: boolean;
}

interface OrgState {
  files: BackendFiles;
  answers: Answers;
  links: OrgLinks;
  changed: boolean;
}

async function readSpec(file: string, ctx: CommandContext): Promise<NetworkSpec> {
  const doc = parseValuesDocument(await readTextFile(file, 'network file', ctx.cwd), file);
  const { spec, errors } = validateNetworkSpec(documentValues(doc));
  if (!spec) {
    const located = errors.map((e) => ({ path: `${file}: ${e.path}`, message: e.message }));
    for (const e of located) ctx.term.info(`${e.path}: ${e.message}`);
    throw new ValidationError(located, true);
  }
  return spec;
}

const ORCHESTRATOR_FILE = 'orchestrator-values.yaml';

/** Where an organization's values go: `file:` or NAME-values.yaml, inside the output folder. */
const organizationFile = (org: NetworkSpec['organizations'][number], dir: string) => path.join(dir, org.file ?? `${org.name}-values.yaml`);

/**
 * Every file the network file makes lands inside --output-dir, once: two organizations writing one
 * file would leave one of them without its values, and the orchestrator's file is its own.
 */
function fileProblems(spec: NetworkSpec, specFile: string, dir: string, cwd: string): Issue[] {
  const problems: Issue[] = [];
  const root = path.resolve(cwd, dir);
  // Keyed by the path in lower case: macOS and Windows file systems take A.yaml for a.yaml.
  const owners = new Map<string, { file: string; owner: string }>();
  const claim = (file: string, owner: string) => owners.set(file.toLowerCase(), { file, owner });
  claim(path.resolve(root, ORCHESTRATOR_FILE), 'the orchestrator values');
  spec.organizations.forEach((org, i) => {
    const at = `${specFile}: organizations[${i}]${org.file === undefined ? '.name' : '.file'}`;
    const given = org.file ?? `${org.name}-values.yaml`;
    const file = path.resolve(root, given);
    const relative = path.relative(root, file);
    if (path.isAbsolute(given) || relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
      problems.push({ path: at, message: `"${given}" is outside --output-dir ${dir}: give a file name inside it` });
      return;
    }
    const claims = [file, ...(spec.secretsMode === 'secret' ? [path.resolve(root, credentialsPathFor(given))] : [])];
    for (const wanted of claims) {
      const taken = owners.get(wanted.toLowerCase());
      if (!taken) continue;
      const what = path.relative(root, wanted);
      const clash =
        taken.file === wanted
          ? `already the file of ${taken.owner}`
          : `which a case-insensitive file system (macOS, Windows) takes for ${path.relative(root, taken.file)}, the file of ${taken.owner}`;
      problems.push({ path: at, message: `${org.name} would write ${what}, ${clash}: give each organization its own file` });
      return;
    }
    claim(file, `organization ${org.name}`);
    if (claims[1]) claim(claims[1], `the credentials of organization ${org.name}`);
  });
  return problems;
}

/**
 * An organization's files, and the accounts they hold wherever they are now: a file entering
 * secrets mode takes its accounts into a new credentials file, and one leaving it takes them
 * back into the values file (`leftBehind` is the credentials file no longer read), so switching
 * modes never generates new passwords or link secrets.
 */
async function organizationFiles(
  spec: NetworkSpec,
  org: NetworkSpec['organizations'][number],
  dir: string,
  profile: ChartProfile,
  ctx: CommandContext,
  releases: Array<() => void>,
): Promise<{ files: BackendFiles; accounts: Record<AccountKind, AccountAnswer[]>; leftBehind?: string }> {
  const file = organizationFile(org, dir);
  const snapshot = await snapshotOf(file, ctx.cwd);
  const files: BackendFiles = snapshot.bytes !== undefined ? await loadBackendFiles(file, profile, ctx.cwd) : { valuesFile: file, doc: newValuesDocument(), profile, valuesSnapshot: snapshot };
  if (files.credentialsFile) releases.push(await lockFiles([files.credentialsFile], ctx.cwd));
  const accounts = accountsOf(files);
  if (spec.secretsMode === 'secret' && !files.credentialsDoc) {
    // A dry run into a folder that is not there yet has nothing to lock.
    if (await directoryExists(path.resolve(ctx.cwd, path.dirname(file)))) releases.push(await lockFiles([credentialsPathFor(file)], ctx.cwd));
    await startCredentials(files, credentialsPathFor(file), existingSecretOf(documentValues(files.doc)) ?? DEFAULT_ACCOUNTS_SECRET, ctx.cwd, false, 'file: in the network file');
  }
  if (spec.secretsMode === 'values' && files.credentialsDoc) {
    const leftBehind = files.credentialsFile;
    for (const key of ['credentialsFile', 'credentialsDoc', 'credentialsSnapshot', 'credentialsFound', 'secretName'] as const) delete files[key];
    return { files, accounts, leftBehind };
  }
  return { files, accounts };
}

/**
 * Accounts of the file that the network file does not name stay (with a warning) unless --prune:
 * from chart 26.12.0 a dropped entry deletes the account at the next upgrade.
 */
function keepOrPrune(kind: AccountKind, existing: AccountAnswer[], wanted: Set<string>, files: BackendFiles, flags: NetworkFlags, warnings: Issue[]): AccountAnswer[] {
  const kept: AccountAnswer[] = [];
  for (const account of existing) {
    if (wanted.has(account.name)) continue;
    const what = `${kind === 'users' ? 'user' : `${kind} organization`} "${account.name}"`;
    if (flags.prune) {
      warnings.push({
        path: `${files.valuesFile}: addAccountOperator`,
        message: `removed ${what}, which the network file no longer names${files.profile.deletesRemovedAccounts ? `: chart ${files.profile.version} deletes this account at the next upgrade` : ''}`,
      });
    } else {
      kept.push(account);
      warnings.push({ path: `${files.valuesFile}: addAccountOperator`, message: `kept ${what}, which the network file does not name (remove it with --prune)` });
    }
  }
  return kept;
}

export async function runNetwork(specFile: string, flags: NetworkFlags, ctx: CommandContext): Promise<number> {
  const spec = await readSpec(specFile, ctx);
  const profile = chartProfile(flags.chartVersion ?? spec.chartVersion);
  if (spec.secretsMode === 'secret' && !profile.supportsExistingSecret) {
    const source = flags.chartVersion !== undefined ? '--chart-version' : spec.chartVersion !== undefined ? 'chartVersion' : 'the default';
    throw new UsageError([
      `${specFile}: secretsMode: secret needs chart 26.8.0 or later (addAccountOperator.existingSecret); the target is ${profile.version} (${source}): raise it, or leave secretsMode out`,
    ]);
  }
  const dir = flags.outputDir ?? '.';
  const misplaced = fileProblems(spec, specFile, dir, ctx.cwd);
  if (misplaced.length) {
    for (const e of misplaced) ctx.term.info(`${e.path}: ${e.message}`);
    throw new ValidationError(misplaced, true);
  }
  const orchestratorFile = path.join(dir, ORCHESTRATOR_FILE);
  // --output-dir is made (with its parents) when missing: before the lock files that go in it,
  // and removed again if the run writes nothing there. A dry run makes nothing and, with no
  // folder, has no file to lock.
  const dirExists = await directoryExists(path.resolve(ctx.cwd, dir));
  if (!dirExists && (await fileExists(path.resolve(ctx.cwd, dir)))) throw new UsageError([`--output-dir ${dir}: is not a folder`]);
  const created = flags.dryRun ? undefined : await ensureDirectory(dir, '--output-dir', ctx.cwd);
  const willCreate = created !== undefined || (flags.dryRun === true && !dirExists);
  // Folders made by this run, each removed again (if still empty) when the run writes nothing.
  const made = created === undefined ? [] : [{ dir, first: created }];
  const files = [...spec.organizations.map((org) => organizationFile(org, dir)), orchestratorFile];
  let wrote = false;
  try {
    // A file: may name a folder inside --output-dir (orgs/ingen.yaml): it is made like --output-dir.
    const folders = [...new Set(files.map((file) => path.dirname(file)))].filter((folder) => path.resolve(ctx.cwd, folder) !== path.resolve(ctx.cwd, dir));
    if (!flags.dryRun) {
      for (const folder of folders) {
        const first = await ensureDirectory(folder, `${specFile}: the folder of a file: in it,`, ctx.cwd);
        if (first !== undefined) made.push({ dir: folder, first });
      }
    }
    // Every file of the network stays locked from its first read to the last write; a dry run
    // has no lock to take in a folder that is not there.
    const lockable: string[] = [];
    for (const file of files) if (await directoryExists(path.resolve(ctx.cwd, path.dirname(file)))) lockable.push(file);
    const releases = lockable.length ? [await lockFiles(lockable, ctx.cwd)] : [];
    try {
      const result = await buildNetwork(spec, dir, orchestratorFile, flags, ctx, releases, willCreate);
      wrote = result.wrote;
      return result.code;
    } finally {
      for (const release of releases.splice(0).reverse()) release();
    }
  } finally {
    if (!wrote) for (const folder of made.reverse()) await removeEmptyDirectory(folder.dir, ctx.cwd, folder.first);
  }
}

async function buildNetwork(
  spec: NetworkSpec,
  dir: string,
  orchestratorFile: string,
  flags: NetworkFlags,
  ctx: CommandContext,
  releases: Array<() => void>,
  createsDir: boolean,
): Promise<{ code: number; wrote: boolean }> {
  const profile = chartProfile(flags.chartVersion ?? spec.chartVersion);
  const warnings: Issue[] = [];
  const generated: string[] = [];
  const leftBehinds: Array<{ valuesFile: string; credentialsFile: string }> = [];
  const mspIDs = new Set(spec.organizations.map(mspIDOf));

  const states: OrgState[] = [];
  const takenOver: Issue[] = [];
  for (const org of spec.organizations) {
    const { files, accounts: existing, leftBehind } = await organizationFiles(spec, org, dir, profile, ctx, releases);
    // A file of another organization is not rewritten as this one's: its accounts and links
    // would be mixed into this organization's, and its own name and mspID replaced.
    const inFile = files.valuesSnapshot?.bytes !== undefined ? documentValues(files.doc) : undefined;
    const holder = inFile?.organizationName;
    if (typeof holder === 'string' && holder !== org.name) {
      takenOver.push({
        path: `${files.valuesFile}: organizationName`,
        message: `is "${holder}", not "${org.name}": it looks like another organization's file; move it away, or, to rename the organization, set organizationName: ${org.name} in it first`,
      });
      continue;
    }
    if (leftBehind) leftBehinds.push({ valuesFile: files.valuesFile, credentialsFile: leftBehind });
    const users = specUsers(spec, org).map((u) => {
      const before = existing.users.find((e) => e.name === u.name);
      if (before?.secret) return { ...u, secret: before.secret, origin: before.origin };
      generated.push(`${org.name}/${u.name}`);
      return { ...u, secret: generateSecret(), origin: { kind: 'generated' as const } };
    });
    const hostNotes: Issue[] = [];
    const fromFile = inFile ? answersFromValues(inFile, profile) : {};
    const base = organizationAnswers(spec, org, fromFile, hostNotes);
    warnings.push(...hostNotes.map((n) => ({ path: `${files.valuesFile}: ${n.path}`, message: n.message })));
    const answers: Answers = {
      ...base,
      users: [...users, ...keepOrPrune('users', existing.users, new Set(users.map((u) => u.name)), files, flags, warnings)],
      incoming: [],
      outgoing: [],
    };
    const links: OrgLinks = {
      label: files.valuesFile,
      mspID: base.mspId,
      channels: base.channels.map((c) => c.name),
      incomingKey: profile.incomingKey,
      outgoingKey: profile.outgoingKey,
      incoming: existing.incoming.filter((a) => mspIDs.has(a.name)),
      outgoing: existing.outgoing.filter((a) => mspIDs.has(a.name)),
    };
    answers.incoming = keepOrPrune('incoming', existing.incoming, mspIDs, files, flags, warnings);
    answers.outgoing = keepOrPrune('outgoing', existing.outgoing, mspIDs, files, flags, warnings);
    states.push({ files, answers, links, changed: false });
  }

  if (takenOver.length) {
    for (const e of takenOver) ctx.term.info(`${e.path}: ${e.message}`);
    throw new ValidationError(takenOver, true);
  }
  const report = linkOrganizations(states.map((s) => s.links), { rotate: flags.rotate, fix: flags.fix });
  if (report.mismatches.length) {
    for (const m of report.mismatches) ctx.term.info(`${m.path}: ${m.message}`);
    ctx.term.info('nothing was written: mismatched links are fixed only with --fix');
    throw new ValidationError(report.mismatches, true);
  }
  warnings.push(...report.warnings);
  const ineffective = flags.rotate || report.fixed > 0 ? secretChangeIneffective(profile, 'link secret') : undefined;
  if (ineffective) warnings.push({ path: 'network', message: ineffective });

  const orchestratorChannels = orchestratorChannelValues(spec);
  const errors: Issue[] = [];
  for (const state of states) {
    state.answers.incoming = [...state.links.incoming, ...state.answers.incoming];
    state.answers.outgoing = [...state.links.outgoing, ...state.answers.outgoing];
    const repairs = linkEntryRepairs(documentValues(state.files.credentialsDoc ?? state.files.doc), profile);
    warnings.push(...repairs.map((r) => ({ path: `${state.files.credentialsFile ?? state.files.valuesFile}: ${r.path}`, message: r.message })));
    state.changed = placeAnswers(state.files, state.answers) || state.files.valuesSnapshot?.bytes === undefined;
    const check = await validateValues(effectiveValues(state.files), { profile, orchestratorChannels, checkPasswords: ctx.checkPasswords });
    errors.push(...check.errors.map((e) => ({ path: `${state.files.valuesFile}: ${e.path}`, message: e.message })));
    // What validate would warn about in a file this run writes (an in-cluster orchestrator with
    // sameCluster false is cut off by the network policy) is said now, not at deploy time.
    warnings.push(...check.warnings.map((w) => ({ path: `${state.files.valuesFile}: ${w.path}`, message: w.message })));
  }
  if (errors.length) {
    for (const e of errors) ctx.term.info(`${e.path}: ${e.message}`);
    throw new ValidationError(errors, true);
  }

  const orchestrator = await orchestratorDocument(orchestratorFile, ctx);
  let orchestratorChanged = orchestrator.snapshot.bytes === undefined;
  for (const edit of orchestratorChartEdits(orchestratorSettings(spec), documentValues(orchestrator.doc))) {
    orchestratorChanged = setValueAt(orchestrator.doc, edit.path, edit.value) || orchestratorChanged;
  }

  for (const w of warnings) ctx.term.warn(`${w.path}: ${w.message}`);
  ctx.outcome.warn(...warnings);
  const writes: PlannedWrite[] = [];
  for (const state of states) if (state.changed) writes.push(...backendWrites(state.files));
  if (orchestratorChanged) writes.push({ file: orchestratorFile, text: renderDocument(orchestrator.doc), secret: false, snapshot: orchestrator.snapshot });
  const written = writes.map((w) => w.file);
  // All files or none: a network half written would hold links that pair with nothing.
  if (!flags.dryRun && writes.length) for (const warning of (await writeFilesAtomic(writes, ctx.cwd)).warnings) ctx.term.warn(warning);
  const made = createsDir && written.length > 0 ? `${dir} and ` : '';
  const verb = flags.dryRun ? `would ${made ? `create ${made}` : ''}write` : `${made ? `created ${made}` : ''}wrote`;
  if (written.length) ctx.term.success(`${spec.organizations.length} organizations, ${report.created + report.kept + report.fixed + report.rotated} links${flags.rotate ? ` (${report.rotated} rotated)` : ''}: ${verb} ${written.join(', ')}`);
  else ctx.term.success(`${spec.organizations.length} organizations: every file already matches the network file; nothing to write`);
  for (const l of leftBehinds) {
    ctx.term.info(`the accounts are ${flags.dryRun ? 'to go ' : ''}back in ${l.valuesFile}, which no longer names a Secret; ${l.credentialsFile} is not read any more: delete it once ${l.valuesFile} is deployed`);
  }
  if (generated.length) ctx.term.info(`generated passwords for ${generated.join(', ')}: they are only in the files written`);
  ctx.outcome.set({
    dryRun: Boolean(flags.dryRun),
    ...(made ? { createdDirectory: dir } : {}),
    written,
    generated,
    links: { created: report.created, kept: report.kept, fixed: report.fixed, rotated: report.rotated },
  });
  return { code: 0, wrote: !flags.dryRun && written.length > 0 };
}

async function orchestratorDocument(file: string, ctx: CommandContext): Promise<{ doc: Document; snapshot: FileSnapshot }> {
  const snapshot = await snapshotOf(file, ctx.cwd);
  if (snapshot.bytes !== undefined) {
    const read = await readEditableFile(file, 'orchestrator values', ctx.cwd);
    return { doc: parseValuesDocument(read.text, file), snapshot: read.snapshot };
  }
  const doc = newValuesDocument();
  doc.commentBefore = ' Values for the orchestrator Helm chart, written by substra-deploy network from the network file.';
  return { doc, snapshot };
}
