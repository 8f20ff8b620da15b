import path from 'node:path';
import type { Document } from 'yaml';
import type { AccountAnswer, AccountKind, Answers, ChannelAnswer, ListKey, PartialAnswers, ScalarKey } from '../core/answers.js';
import { settleHostSettings } from '../core/hosts.js';
import * as rules from '../core/rules.js';
import { chartProfile, type ChartProfile } from '../core/chart.js';
import { equivalentCommand, shellQuote, type ReplayOptions } from '../core/command-line.js';
import { Cancelled, UsageError, ValidationError, type Issue } from '../core/errors.js';
import { generateSecret } from '../core/generate.js';
import { secretChangeIneffective } from '../core/link.js';
import type { SettingsMode } from '../core/password.js';
import { derivedHosts, LIST_SETTINGS, PROMPT_ORDER, SETTINGS, parseSettingValue, readSetting, settingFor, type Setting } from '../core/questions.js';
import { ACCOUNT_FLAGS, generatedLabel, maskSpec, parseAccountSpec, parseChannelSpec } from '../core/specs.js';
import { validateValues } from '../core/validate.js';
import {
  answersFromValues,
  documentValues,
  linkEntryRepairs,
  maskedDocument,
  newValuesDocument,
  pendingChanges,
  parseValuesDocument,
  schemaModeline,
  setSchemaModeline,
} from '../core/values-doc.js';
import { checkWritable, fileExists, lockFiles, plannedMode, readEditableFile, readTextFile, snapshotOf, type FileSnapshot } from '../io/files.js';
import {
  accountsOf,
  attachCredentials,
  credentialsPathFor,
  DEFAULT_ACCOUNTS_SECRET,
  effectiveValues,
  existingSecretOf,
  placeAnswers,
  startCredentials,
  valuesFileMode,
  writeBackendFiles,
  type BackendFiles,
} from '../app/backend-files.js';
import { readSecretReference } from '../io/secrets.js';
import type { CommandContext } from '../app/context.js';
import { askAccounts, askAllowedHosts, askCertificateFiles, askChannels, askScalar, askSecret, reviewExisting, reviewSettings } from '../prompts/wizard.js';
import type { DeployFlags } from './deploy.js';
import { loadOrchestratorChannels, printReport, type Report } from '../app/report.js';

export interface InitFlags {
  values?: string;
  output?: string;
  force?: boolean;
  generatePasswords?: boolean;
  orchestratorValues?: string;
  chartVersion?: string;
  /** scalar settings by their key, as given on the command line (strings or booleans) */
  settings: Partial<Record<ScalarKey, string | boolean>>;
  /** repeatable specs by list key */
  lists: Partial<Record<ListKey, string[]>>;
  removals: Partial<Record<ListKey, string[]>>;
  dryRun?: boolean;
  /** --deploy: run the deployment steps after writing */
  deploy?: boolean;
  /** the deploy flags (namespace, release, certificates, …), used by --deploy or the wizard's offer */
  deployOptions?: Omit<DeployFlags, 'values'>;
  /** adds the yaml-language-server modeline pointing at this JSON Schema */
  yamlSchema?: string;
  /** 'secret': accounts in a separate credentials file, the values file names existingSecret */
  secretsMode?: 'values' | 'secret';
  accountsSecret?: string;
  credentials?: string;
}

type Source = 'flag' | 'env' | 'values' | 'default' | 'prompt';

interface InitState {
  flags: InitFlags;
  profile: ChartProfile;
  output: string;
  doc: Document;
  fromFile: PartialAnswers;
  mode: SettingsMode;
  answers: PartialAnswers;
  sources: Partial<Record<ScalarKey | 'allowedHosts', Source>>;
  generated: string[];
  removed: Issue[];
  /** --allowed-host / --remove-allowed-host, applied once the host domain is known */
  hostEdits: { add: string[]; remove: string[] };
  /** what this run re-derived or kept of the host settings */
  hostNotes: Issue[];
}

const ACCOUNT_KINDS: AccountKind[] = ['users', 'incoming', 'outgoing'];

export async function runInit(flags: InitFlags, ctx: CommandContext): Promise<number> {
  const output = flags.output ?? flags.values ?? 'backend-values.yaml';
  await checkTarget(flags, output, ctx);
  // Held from the first read to the last write: a second run on the same file waits its turn.
  const releases = [await lockFiles([output], ctx.cwd)];
  let edited: { values: Record<string, unknown>; dryRun: boolean };
  try {
    edited = await editFiles(flags, output, ctx, releases);
  } finally {
    for (const release of releases.splice(0).reverse()) release();
  }
  if (edited.dryRun) {
    if (flags.deploy) await (await import('./deploy.js')).runDeploy({ ...flags.deployOptions, values: output, dryRun: true, chartVersion: flags.chartVersion }, deployContext(ctx), edited.values);
    return 0;
  }
  return deployAfterInit(flags, output, edited.values, ctx);
}

async function editFiles(flags: InitFlags, output: string, ctx: CommandContext, releases: Array<() => void>): Promise<{ values: Record<string, unknown>; dryRun: boolean }> {
  const profile = chartProfile(flags.chartVersion);
  const target = path.resolve(ctx.cwd, output);
  const editingInPlace = flags.values !== undefined && path.resolve(ctx.cwd, flags.values) === target;
  const { doc, mode, snapshot } = await loadExisting(flags, ctx);
  const fromFile = flags.values ? answersFromValues(documentValues(doc), profile) : {};
  const valuesSnapshot = editingInPlace && snapshot ? snapshot : await snapshotOf(output, ctx.cwd);
  const { files, accounts, leftBehind } = await accountFiles(flags, output, doc, valuesSnapshot, profile, ctx, releases);
  if (accounts) Object.assign(fromFile, accounts);
  const state: InitState = {
    flags, profile, output, doc, fromFile, mode, answers: {}, sources: {}, generated: [], removed: [], hostEdits: { add: [], remove: [] }, hostNotes: [],
  };
  const orchestrator = flags.orchestratorValues ? await loadOrchestratorChannels(flags.orchestratorValues, ctx.cwd) : undefined;

  const problems: string[] = [];
  resolveScalars(state, ctx, problems);
  resolveLists(state, ctx, problems);
  if (problems.length) throw new UsageError(problems);

  if (ctx.interactive) {
    ctx.term.info(
      ctx.term.color.dim(
        flags.values
          ? `Editing ${flags.values}: change what you need; the rest stays byte for byte. Nothing is written before you confirm, and Ctrl-C quits without writing.`
          : `This writes ${output}, a substra-backend values file, from your answers (Enter takes the suggestion in brackets). Nothing is written before you confirm, and Ctrl-C quits without writing.`,
      ),
    );
    if (flags.values) {
      for (const key of await reviewSettings(ctx.prompter(), flags.values, state.answers)) state.sources[key] = 'prompt';
    }
    await askGaps(state, ctx);
  }
  else requireComplete(state);
  await resolveSecrets(state, ctx);

  const answers = state.answers as Answers;
  const notes = [...linkEntryRepairs(documentValues(files.credentialsDoc ?? doc), profile), ...changedSecretNotes(state, answers)];
  const announcedBefore = announcedAddress(documentValues(doc));
  // Editing: what the file lacks and the run only defaulted stays out (the chart's default holds).
  const leaveOut = new Set(flags.values ? Object.entries(state.sources).filter(([, s]) => s === 'default').map(([k]) => k) : []);
  let changed = placeAnswers(files, answers, leaveOut);
  if (flags.yamlSchema) changed = setSchemaModeline(doc, flags.yamlSchema) || changed;
  const values = effectiveValues(files);
  const announcedNow = announcedAddress(values);
  if (announcedBefore && announcedNow && announcedBefore !== announcedNow) {
    notes.push({
      path: 'server.defaultDomain',
      message: `changes from ${announcedBefore} to ${announcedNow}: a deployed backend registered its address with the orchestrator once and later changes are ignored ("already exists"), so peers keep calling ${announcedBefore}`,
    });
  }
  const report = await validateValues(values, { profile, orchestratorChannels: orchestrator, checkPasswords: ctx.checkPasswords });
  const result: Report = {
    command: 'init',
    ok: report.errors.length === 0,
    file: target,
    written: false,
    chartVersion: profile.version,
    errors: report.errors,
    warnings: [...state.hostNotes, ...notes, ...state.removed, ...report.warnings],
    generated: state.generated,
  };
  if (report.errors.length) {
    printReport(result, ctx);
    throw new ValidationError(report.errors, true);
  }

  if (flags.dryRun) {
    if (editingInPlace && !changed) ctx.term.info(`dry run: ${output} already says all of this; nothing would be written`);
    else {
      const valuesMode = await plannedMode(output, valuesFileMode(files) === 0o600, ctx.cwd);
      ctx.term.info(`dry run: would write ${output} (mode ${modeText(valuesMode)}):\n${maskedDocument(doc, profile)}`);
      if (files.credentialsDoc) {
        const credentialsMode = await plannedMode(files.credentialsFile as string, true, ctx.cwd);
        ctx.term.info(`and ${files.credentialsFile} (mode ${modeText(credentialsMode)}):\n${maskedDocument(files.credentialsDoc, profile)}`);
      }
    }
    printReport(result, ctx);
    return { values, dryRun: true };
  }
  if (editingInPlace && !changed) {
    ctx.term.info(`${output} already says all of this; nothing to write`);
    printReport(result, ctx);
    return { values, dryRun: false };
  }
  if (ctx.interactive) {
    for (const [file, document] of [[output, doc], [files.credentialsFile, files.credentialsDoc]] as const) {
      if (!file || !document) continue;
      const { whole, lines } = pendingChanges(document, profile);
      if (!whole && lines.length === 0) continue;
      const { color } = ctx.term;
      const shown = lines.map((l) => (whole ? l : l.startsWith('+ ') ? color.green(l) : l.startsWith('- ') ? color.red(l) : color.dim(l)));
      ctx.term.info(`\n${color.bold(whole ? `${file} will hold:` : `${file}: these lines change (everything else stays as it is):`)}\n${shown.join('\n')}`);
    }
    for (const w of result.warnings) ctx.term.warn(`${w.path}: ${w.message}`);
    const ok = await ctx.prompter().confirm({ message: `Write ${output}?`, default: true });
    if (!ok) throw new Cancelled();
  }
  const { valuesMode, warnings } = await writeBackendFiles(files, ctx.cwd);
  for (const warning of warnings) ctx.term.warn(warning);
  result.warnings.push(...warnings.map((message) => ({ path: output, message })));
  result.written = true;
  result.mode = modeText(valuesMode);
  if (files.credentialsFile) {
    result.credentialsFile = path.resolve(ctx.cwd, files.credentialsFile);
    ctx.term.info(`the accounts are in ${files.credentialsFile} (mode 0600, keep it out of git); ${output} names Secret ${existingSecretOf(documentValues(doc))} and holds no password`);
  }
  if (leftBehind) {
    ctx.term.info(`the accounts are back in ${output}, which no longer names a Secret; ${leftBehind} is not read any more: delete it once ${output} is deployed`);
  }
  result.equivalentCommand = equivalentCommand(answers, output, replayOptions(flags, files, output));
  printReport(result, ctx);
  if (ctx.interactive) await offerGeneratedSecrets(answers, files.credentialsFile ?? output, ctx);
  return { values, dryRun: false };
}

/**
 * Secrets this run generated are only in the file just written: the wizard offers to show each
 * once, here, or (the default) prints the command that shows its line of the file later.
 */
async function offerGeneratedSecrets(answers: Answers, file: string, ctx: CommandContext): Promise<void> {
  const generated = ACCOUNT_KINDS.flatMap((kind) => answers[kind].filter((a) => a.origin?.kind === 'generated' && a.secret).map((a) => ({ label: generatedLabel(kind, a.name), secret: a.secret as string })));
  if (generated.length === 0) return;
  const how = await ctx.prompter().select({
    message: `${generated.length === 1 ? 'The generated secret is' : `The ${generated.length} generated secrets are`} only in ${file}. See ${generated.length === 1 ? 'it' : 'them'}?`,
    choices: [
      { name: 'Not now: print the command that shows each one from the file', value: 'commands' },
      { name: 'Show each once, here (not in any log)', value: 'show' },
    ],
    default: 'commands',
  });
  const lines = (await readTextFile(file, 'the file just written', ctx.cwd)).split(/\r?\n/);
  for (const { label, secret } of generated) {
    if (how === 'show') ctx.term.info(`  ${label}: ${secret}`);
    else {
      const at = lines.findIndex((line) => line.includes(secret));
      if (at !== -1) ctx.term.info(`  ${label}: sed -n '${at + 1}p' ${shellQuote(file)}`);
    }
  }
}

const modeText = (mode: number) => mode.toString(8).padStart(4, '0');

/** What the CI command needs besides the answers to write the same files again. */
function replayOptions(flags: InitFlags, files: BackendFiles, output: string): ReplayOptions {
  const secretName = files.credentialsDoc ? existingSecretOf(documentValues(files.doc)) : undefined;
  return {
    secretsMode: files.credentialsDoc ? 'secret' : undefined,
    accountsSecret: secretName && secretName !== DEFAULT_ACCOUNTS_SECRET ? secretName : undefined,
    credentials: files.credentialsFile && files.credentialsFile !== credentialsPathFor(output) ? files.credentialsFile : undefined,
    yamlSchema: flags.yamlSchema ?? schemaModeline(files.doc),
    chartVersion: flags.chartVersion,
  };
}

/** --deploy runs the steps; the wizard offers them; otherwise init is done. */
async function deployAfterInit(flags: InitFlags, output: string, values: Record<string, unknown>, ctx: CommandContext): Promise<number> {
  if (!flags.deploy && !ctx.interactive) return 0;
  const deployFlags: DeployFlags = { ...flags.deployOptions, values: output, chartVersion: flags.chartVersion, runByDefault: true };
  if (!flags.deploy) {
    const now = await ctx.prompter().confirm({ message: 'Deploy it to the cluster now (helm and kubectl)?', default: false });
    if (!now) {
      ctx.term.info(`deploy later with: substra-deploy deploy --values ${output}`);
      return 0;
    }
  }
  if (ctx.interactive) await askCertificateFiles(deployFlags, values, ctx);
  // The deploy code (child processes, certificates) loads only when a deployment is asked for.
  const { runDeploy } = await import('./deploy.js');
  return runDeploy(deployFlags, deployContext(ctx), values as Record<string, any>);
}

/** The deployment records its plan or steps under `deploy` in init's --json document. */
const deployContext = (ctx: CommandContext): CommandContext => ({ ...ctx, outcome: ctx.outcome.section('deploy') });

const secretsModeNeedsChart = (profile: ChartProfile) =>
  new UsageError([
    `--secrets-mode secret needs chart 26.8.0 or later (addAccountOperator.existingSecret); the target is ${profile.version}: raise --chart-version or keep the accounts in the values file`,
  ]);

/**
 * The values file and, in secrets mode, the credentials file beside it. A file that names
 * existingSecret has its accounts in its credentials file: that file must be read (starting
 * empty would delete every account), also when leaving secrets mode, where the accounts move
 * back into the values file. A file entering secrets mode gets a credentials file of its own.
 */
async function accountFiles(
  flags: InitFlags,
  output: string,
  doc: Document,
  valuesSnapshot: FileSnapshot,
  profile: ChartProfile,
  ctx: CommandContext,
  releases: Array<() => void>,
): Promise<{ files: BackendFiles; accounts?: Record<AccountKind, AccountAnswer[]>; leftBehind?: string }> {
  const files: BackendFiles = { valuesFile: output, doc, profile, valuesSnapshot };
  const existing = flags.values ? existingSecretOf(documentValues(doc)) : undefined;
  const secretsMode = flags.secretsMode ?? (existing ? 'secret' : 'values');
  const readFrom = flags.credentials ?? credentialsPathFor(flags.values ?? output);
  if (secretsMode === 'values') {
    if (!existing) return { files };
    const source: BackendFiles = { valuesFile: flags.values as string, doc, profile };
    await attachCredentials(source, readFrom, existing, ctx.cwd, 'required');
    return { files, accounts: accountsOf(source), leftBehind: readFrom };
  }
  if (!profile.supportsExistingSecret) throw secretsModeNeedsChart(profile);
  const secretName = flags.accountsSecret ?? existing ?? DEFAULT_ACCOUNTS_SECRET;
  const writeTo = flags.credentials ?? credentialsPathFor(output);
  releases.push(await lockFiles([writeTo], ctx.cwd));
  if (!existing) {
    await startCredentials(files, writeTo, secretName, ctx.cwd, Boolean(flags.force), '--credentials');
    return { files };
  }
  await attachCredentials(files, readFrom, secretName, ctx.cwd, 'required');
  const accounts = accountsOf(files);
  if (path.resolve(ctx.cwd, readFrom) !== path.resolve(ctx.cwd, writeTo)) {
    // Written beside another --output: the file there is this run's to create.
    const read = files.credentialsDoc;
    await startCredentials(files, writeTo, secretName, ctx.cwd, Boolean(flags.force), '--credentials');
    files.credentialsDoc = read;
  }
  return { files, accounts };
}

async function checkTarget(flags: InitFlags, output: string, ctx: CommandContext): Promise<void> {
  const target = path.resolve(ctx.cwd, output);
  const editing = flags.values !== undefined && path.resolve(ctx.cwd, flags.values) === target;
  if (!editing && !flags.force && (await fileExists(target))) {
    if (ctx.interactive && !flags.values) {
      const choice = await ctx.prompter().select({
        message: `${output} already exists. What now?`,
        choices: [
          { name: 'Edit it (what you do not change stays as it is)', value: 'edit' },
          { name: 'Replace it with a new file', value: 'replace' },
          { name: 'Quit without writing', value: 'quit' },
        ],
        default: 'edit',
      });
      if (choice === 'quit') throw new Cancelled();
      if (choice === 'edit') flags.values = output;
      else flags.force = true;
      return checkTarget(flags, output, ctx);
    }
    throw new UsageError([
      flags.values
        ? `--output ${output} already exists and is not the --values file; add --force to replace it`
        : `${output} already exists; edit it with --values ${output}, or add --force to replace it`,
    ]);
  }
  await checkWritable(output, '--output', ctx.cwd);
}

async function loadExisting(flags: InitFlags, ctx: CommandContext): Promise<{ doc: Document; mode: SettingsMode; snapshot?: FileSnapshot }> {
  if (!flags.values) return { doc: newValuesDocument(), mode: 'prod' };
  const { text, snapshot } = await readEditableFile(flags.values, '--values', ctx.cwd);
  const doc = parseValuesDocument(text, flags.values);
  const settings = documentValues(doc).settings;
  return { doc, mode: settings === 'dev' ? 'dev' : 'prod', snapshot };
}

/** flag → environment → --values file → default, for every scalar setting. */
function resolveScalars(state: InitState, ctx: CommandContext, problems: string[]): void {
  const order = PROMPT_ORDER.filter((k): k is ScalarKey => SETTINGS.some((s) => s.key === k));
  const answers = state.answers as Record<string, unknown>;
  for (const key of order) {
    const setting = settingFor(key);
    const flagValue = state.flags.settings[key];
    const envValue = ctx.env[setting.env];
    if (flagValue !== undefined) {
      const parsed = typeof flagValue === 'boolean' ? { ok: true as const, value: flagValue } : parseSettingValue(setting, flagValue);
      if (parsed.ok) {
        answers[key] = parsed.value;
        state.sources[key] = 'flag';
      } else problems.push(`--${setting.flag} "${flagValue}": ${parsed.problem}`);
    } else if (envValue !== undefined && envValue !== '') {
      const parsed = parseSettingValue(setting, envValue);
      if (parsed.ok) {
        answers[key] = parsed.value;
        state.sources[key] = 'env';
      } else problems.push(`${setting.env}="${envValue}": ${parsed.problem}`);
    } else if (state.fromFile[key] !== undefined) {
      answers[key] = state.fromFile[key];
      state.sources[key] = 'values';
    }
  }
}

/** Far past any real spec (a name, a channel and a path): refused before it is parsed or shown. */
const MAX_SPEC_LENGTH = 1024;

function specsFor(key: ListKey, state: InitState, ctx: CommandContext, problems: string[]): string[] {
  const setting = LIST_SETTINGS.find((l) => l.key === key);
  const fromFlags = state.flags.lists[key];
  const fromEnv = setting ? ctx.env[setting.env] : undefined;
  const specs = fromFlags && fromFlags.length ? fromFlags : fromEnv ? fromEnv.split(/\s+/).filter(Boolean) : [];
  return specs.filter((spec) => {
    if (spec.length <= MAX_SPEC_LENGTH) return true;
    problems.push(`--${setting?.flag ?? key}: a spec of ${spec.length} characters is past any real one (at most ${MAX_SPEC_LENGTH}); check the value`);
    return false;
  });
}

/**
 * One definition per name in a run: the same name given twice must say the same thing, and
 * may not be both given and removed. Returns false (with the problem noted) for a conflict.
 */
function definedOnce(
  seen: Map<string, { spec: string; value: string }>,
  flag: string,
  spec: string,
  name: string,
  value: unknown,
  problems: string[],
): boolean {
  const text = JSON.stringify(value);
  const before = seen.get(name);
  if (before && before.value !== text) {
    problems.push(`${flag} "${maskSpec(before.spec)}" and ${flag} "${maskSpec(spec)}" both define "${name}", differently; give it once`);
    return false;
  }
  seen.set(name, { spec, value: text });
  return true;
}

function removedWhileGiven(key: ListKey, flag: string, seen: Map<string, { spec: string }>, state: InitState, problems: string[]): void {
  const removeFlag = LIST_SETTINGS.find((l) => l.key === key)?.removeFlag;
  for (const name of state.flags.removals[key] ?? []) {
    const given = seen.get(name);
    if (given) problems.push(`${flag} "${maskSpec(given.spec)}" and --${removeFlag} ${name} both name "${name}"; give one`);
  }
}

/** Lists from the file stay; flags add or update entries by name; removals must be named. */
function resolveLists(state: InitState, ctx: CommandContext, problems: string[]): void {
  state.answers.allowedHosts = state.fromFile.allowedHosts;
  for (const host of specsFor('allowedHosts', state, ctx, problems)) {
    const problem = rules.allowedHost(host);
    if (problem) problems.push(`--allowed-host "${host}": ${problem}`);
    else state.hostEdits.add.push(host);
  }
  state.hostEdits.remove.push(...(state.flags.removals.allowedHosts ?? []));
  for (const host of state.hostEdits.remove.filter((h) => state.hostEdits.add.includes(h))) {
    problems.push(`--allowed-host "${host}" and --remove-allowed-host ${host} both name "${host}"; give one`);
  }

  const channels: ChannelAnswer[] = [...(state.fromFile.channels ?? [])];
  const seenChannels = new Map<string, { spec: string; value: string }>();
  for (const spec of specsFor('channels', state, ctx, problems)) {
    const parsed = parseChannelSpec(spec);
    if (!parsed.ok) {
      problems.push(parsed.problem);
      continue;
    }
    if (!definedOnce(seenChannels, '--channel', spec, parsed.value.name, parsed.value, problems)) continue;
    const at = channels.findIndex((c) => c.name === parsed.value.name);
    if (at === -1) channels.push(parsed.value);
    else channels[at] = parsed.value;
  }
  removedWhileGiven('channels', '--channel', seenChannels, state, problems);
  for (const name of state.flags.removals.channels ?? []) {
    const at = channels.findIndex((c) => c.name === name);
    if (at === -1) problems.push(`--remove-channel ${name}: there is no such channel`);
    else channels.splice(at, 1);
  }
  state.answers.channels = channels;
  const onlyChannel = channels.length === 1 ? channels[0]?.name : undefined;

  for (const kind of ACCOUNT_KINDS) {
    const accounts: AccountAnswer[] = (state.fromFile[kind] ?? []).map((a) => ({ ...a }));
    const seen = new Map<string, { spec: string; value: string }>();
    for (const spec of specsFor(kind, state, ctx, problems)) {
      const parsed = parseAccountSpec(kind, spec, onlyChannel);
      if (!parsed.ok) {
        problems.push(parsed.problem);
        continue;
      }
      if (!definedOnce(seen, ACCOUNT_FLAGS[kind], spec, parsed.value.name, parsed.value, problems)) continue;
      const at = accounts.findIndex((a) => a.name === parsed.value.name);
      if (at === -1) accounts.push(parsed.value);
      else {
        const old = accounts[at] as AccountAnswer;
        // A spec without a secret reference keeps the secret already in the file.
        accounts[at] = parsed.value.origin ? parsed.value : { ...parsed.value, secret: old.secret, origin: old.origin };
      }
    }
    removedWhileGiven(kind, ACCOUNT_FLAGS[kind], seen, state, problems);
    const removeFlag = LIST_SETTINGS.find((l) => l.key === kind)?.removeFlag;
    for (const name of state.flags.removals[kind] ?? []) {
      const at = accounts.findIndex((a) => a.name === name);
      if (at === -1) problems.push(`--${removeFlag} ${name}: there is no such entry in the --values file`);
      else {
        accounts.splice(at, 1);
        noteRemoval(state, kind, name);
      }
    }
    state.answers[kind] = accounts;
  }
}

/** server.defaultDomain, read as its setting reads it: the address the backend announces. */
const announcedAddress = (values: Record<string, unknown>) => readSetting(settingFor('defaultDomain'), values) as string | undefined;

/** Secrets this run changes on accounts the file already had: ineffective before chart 26.12.0. */
function changedSecretNotes(state: Pick<InitState, 'fromFile' | 'profile'>, answers: Answers): Issue[] {
  const notes: Issue[] = [];
  for (const kind of ACCOUNT_KINDS) {
    for (const account of answers[kind]) {
      const before = state.fromFile[kind]?.find((a) => a.name === account.name);
      if (!before?.secret || before.secret === account.secret) continue;
      const message = secretChangeIneffective(state.profile, kind === 'users' ? 'password' : 'link secret');
      if (message) notes.push({ path: `addAccountOperator ${generatedLabel(kind, account.name)}`, message: `secret changed, but ${message}` });
    }
  }
  return notes;
}

export function noteRemoval(state: Pick<InitState, 'profile' | 'removed'>, kind: AccountKind, name: string): void {
  const key = kind === 'users' ? 'users' : kind === 'incoming' ? state.profile.incomingKey : state.profile.outgoingKey;
  const what = kind === 'users' ? `user "${name}"` : `${kind} organization "${name}"`;
  state.removed.push({
    path: `addAccountOperator.${key}`,
    message: state.profile.deletesRemovedAccounts
      ? `removed ${what}: chart ${state.profile.version} deletes this account from the backend at the next upgrade`
      : `removed ${what}: chart ${state.profile.version} leaves the account in the backend; delete it there if it must go`,
  });
}

/**
 * Once the domain and subdomain are known: the host settings follow them where the file's
 * values were derived from the old ones (core/hosts.ts), and the list edits apply.
 */
function settleHosts(state: InitState): void {
  const given = new Set(Object.entries(state.sources).filter(([, s]) => s === 'flag' || s === 'env' || s === 'prompt').map(([k]) => k));
  const settled = settleHostSettings({ fromFile: state.fromFile, answers: state.answers, given, addHosts: state.hostEdits.add, removeHosts: state.hostEdits.remove });
  if (settled.problems.length) throw new UsageError(settled.problems);
  if (settled.hostname !== undefined) state.answers.hostname = settled.hostname;
  if (settled.defaultDomain !== undefined) state.answers.defaultDomain = settled.defaultDomain;
  if (settled.allowedHosts !== undefined) state.answers.allowedHosts = settled.allowedHosts;
  state.hostNotes.push(...settled.notes);
}

function requireComplete(state: InitState): void {
  const missing: string[] = [];
  const answers = state.answers as Record<string, unknown>;
  for (const key of PROMPT_ORDER) {
    if (key === 'hostname') settleHosts(state);
    if (key === 'allowedHosts') {
      if (state.answers.allowedHosts === undefined) {
        state.answers.allowedHosts = derivedHosts(state.answers)?.allowedHosts;
        state.sources.allowedHosts = 'default';
      }
      continue;
    }
    if (key === 'channels') {
      if (!state.answers.channels?.length) missing.push('missing --channel (at least one is required when not interactive)');
      continue;
    }
    if (key === 'users' || key === 'incoming' || key === 'outgoing') continue;
    const setting = settingFor(key);
    if (answers[key] !== undefined) continue;
    const fallback = setting.default?.(state.answers);
    if (fallback !== undefined) {
      answers[key] = fallback;
      state.sources[key] = 'default';
    } else if (setting.required) {
      missing.push(`missing --${setting.flag} (required when not interactive; or set ${setting.env})`);
    }
  }
  if (missing.length) throw new UsageError(missing);
}

async function askGaps(state: InitState, ctx: CommandContext): Promise<void> {
  const prompter = ctx.prompter();
  const answers = state.answers as Record<string, unknown>;
  for (const key of PROMPT_ORDER) {
    if (key === 'hostname') settleHosts(state);
    if (key === 'allowedHosts') {
      if (state.answers.allowedHosts === undefined) {
        state.answers.allowedHosts = await askAllowedHosts(prompter, derivedHosts(state.answers)?.allowedHosts ?? []);
        state.sources.allowedHosts = 'prompt';
      }
      continue;
    }
    if (key === 'channels') {
      if (!state.answers.channels?.length) state.answers.channels = await askChannels(prompter, []);
      continue;
    }
    if (key === 'users' || key === 'incoming' || key === 'outgoing') {
      const kept = await reviewExisting(prompter, key, state.fromFile[key] ?? [], state.answers[key] ?? []);
      for (const name of kept.removed) noteRemoval(state, key, name);
      const given = (state.flags.lists[key]?.length ?? 0) > 0;
      state.answers[key] = given ? kept.accounts : await askAccounts(prompter, key, kept.accounts, state.answers as Answers, state.mode, state.generated, ctx.checkPasswords);
      continue;
    }
    const setting: Setting = settingFor(key);
    if (answers[key] !== undefined) continue;
    const fallback = setting.default?.(state.answers);
    // Editing: what the file leaves unset and need not be set stays so (the review menu sets it).
    if (state.flags.values && (setting.optional || fallback !== undefined)) {
      answers[key] = fallback;
      if (fallback !== undefined) state.sources[key] = 'default';
      continue;
    }
    if (setting.relevant && !setting.relevant(state.answers)) {
      answers[key] = fallback;
      continue;
    }
    answers[key] = await askScalar(prompter, setting, setting.suggest?.(state.answers) ?? fallback);
    state.sources[key] = 'prompt';
  }
}

/** Reads env/file references; generates or reports what is still missing. */
async function resolveSecrets(state: InitState, ctx: CommandContext): Promise<void> {
  const problems: string[] = [];
  for (const kind of ACCOUNT_KINDS) {
    for (const account of state.answers[kind] ?? []) {
      const label = `${ACCOUNT_FLAGS[kind]} ${account.name}`;
      const read = await readSecretReference(account, ctx.env, ctx.cwd, label);
      if (read.problem) {
        problems.push(read.problem);
        continue;
      }
      if (read.secret !== undefined) account.secret = read.secret;
      if (account.secret !== undefined) continue;
      if (state.flags.generatePasswords) {
        account.secret = generateSecret();
        account.origin = { kind: 'generated' };
        state.generated.push(generatedLabel(kind, account.name));
      } else if (ctx.interactive && problems.length === 0) {
        const asked = await askSecret(ctx.prompter(), kind, account.name, state.mode, ctx.checkPasswords);
        account.secret = asked.secret;
        account.origin = asked.generated ? { kind: 'generated' } : { kind: 'prompt' };
        if (asked.generated) state.generated.push(generatedLabel(kind, account.name));
      } else {
        const keys = kind === 'users' ? 'password-env=VAR or password-file=PATH' : 'secret-env=VAR or secret-file=PATH';
        problems.push(`${label}: no ${kind === 'users' ? 'password' : 'secret'}; add ${keys} to its spec, or --generate-passwords`);
      }
    }
  }
  if (problems.length) throw new UsageError(problems);
}
