import path from 'node:path';
import type { Document } from 'yaml';
import type { AccountAnswer, AccountKind, Answers, ChannelAnswer, ListKey, PartialAnswers, ScalarKey } from '../core/answers.js';
import { DEFAULT_CHAINCODE } from '../core/answers.js';
import { completeAnswers } from '../core/complete-answers.js';
import { settleHostSettings } from '../core/hosts.js';
import * as rules from '../core/rules.js';
import { chartProfile, type ChartProfile } from '../core/chart.js';
import { equivalentCommand, shellQuote, type ReplayOptions } from '../core/command-line.js';
import { Cancelled, UsageError, ValidationError, type Issue } from '../core/errors.js';
import { generateSecret } from '../core/generate.js';
import { secretChangeIneffective } from '../core/link.js';
import type { OrchestratorChannel } from '../core/orchestrator.js';
import type { SettingsMode } from '../core/password.js';
import { derivedHosts, LIST_SETTINGS, PROMPT_ORDER, SETTINGS, parseSettingValue, readSetting, settingFor, valueAt, type Setting, type ValuesLike } from '../core/questions.js';
import { ACCOUNT_FLAGS, generatedLabel, maskSpec, parseAccountSpec, parseChannelSpec, type SpecResult } from '../core/specs.js';
import { validateStructure, validateValues } from '../core/validate.js';
import {
  answersFromValues,
  documentValues,
  linkEntryRepairs,
  maskedDocument,
  newValuesDocument,
  pendingChanges,
  parseValuesDocument,
  removeNode,
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
/** Where each answer came from: a given one is never re-derived, a defaulted one stays out of an edited file. */
type Sources = Partial<Record<ScalarKey | 'allowedHosts', Source>>;

/**
 * What one init run knows, filled in step by step. Each step takes just the part it reads
 * (`Pick<InitContext, …>`) and returns what it adds, leaving its input as it was; `runInit`
 * lists the steps in order.
 */
export interface InitContext extends CommandContext {
  flags: InitFlags;
  /** the file written: --output, else the --values file, else backend-values.yaml */
  output: string;
  profile: ChartProfile;
  /** the values document (read or new) and, in secrets mode, the credentials file's */
  files: BackendFiles;
  /** releases the credentials file, locked while this run may write it */
  unlockCredentials?: () => void;
  /** the file's `settings`: the backend's password policy differs in dev */
  mode: SettingsMode;
  /** what the --values file (and its credentials file) says */
  fromFile: PartialAnswers;
  /** leaving secrets mode: the credentials file no longer read */
  leftBehind?: string;
  /** --orchestrator-values: the channels to check membership against */
  orchestrator?: OrchestratorChannel[];
  /** the answers so far: flags, environment and file, then the wizard or the defaults */
  partial: PartialAnswers;
  sources: Sources;
  /** --allowed-host / --remove-allowed-host, applied once the host domain is known */
  hostEdits: { add: string[]; remove: string[] };
  /** every answer, checked complete */
  answers: Answers;
  /** what this run re-derived or kept of the host settings */
  hostNotes: Issue[];
  /** accounts removed from the file, with what the chart then does */
  removed: Issue[];
  /** labels of the secrets this run generated */
  generated: string[];
  /** the documents now differ from the files */
  changed: boolean;
  /** the values as the backend will see them */
  values: ValuesLike;
  /** link entries repaired, secrets changed to no effect, a moved announced address */
  notes: Issue[];
  report: Report;
}

/** Runs one step and adds what it returns to the context. */
async function advance<C extends object, A extends object>(ctx: C, step: (ctx: NoInfer<C>) => A | Promise<A>): Promise<Omit<C, keyof A> & A> {
  return { ...ctx, ...(await step(ctx)) };
}

const ACCOUNT_KINDS: AccountKind[] = ['users', 'incoming', 'outgoing'];

export async function runInit(flags: InitFlags, cmd: CommandContext): Promise<number> {
  const start = { ...cmd, flags, output: flags.output ?? flags.values ?? 'backend-values.yaml' };
  // First, before any question (what to do with a file that exists is one).
  if (cmd.interactive) introduce(start);
  const target = await advance(start, chooseTarget);
  // Held from the first read to the last write: a second run on the same file waits its turn.
  const unlockOutput = await lockFiles([target.output], target.cwd);
  let unlockCredentials: (() => void) | undefined;
  let edited: { values: ValuesLike; dryRun: boolean };
  try {
    const loaded = await advance({ ...target, profile: chartProfile(target.flags.chartVersion) }, loadFiles);
    unlockCredentials = loaded.unlockCredentials;
    edited = await editFiles(loaded);
  } finally {
    unlockCredentials?.();
    unlockOutput();
  }
  const { flags: chosen, output } = target;
  if (edited.dryRun) {
    if (chosen.deploy) await (await import('./deploy.js')).runDeploy({ ...chosen.deployOptions, values: output, dryRun: true, chartVersion: chosen.chartVersion }, deployContext(cmd), edited.values);
    return 0;
  }
  return deployAfterInit({ ...cmd, flags: chosen, output, values: edited.values });
}

/** The steps between reading the files and writing them. */
async function editFiles(
  loaded: Pick<InitContext, keyof CommandContext | 'flags' | 'output' | 'profile' | 'files' | 'mode' | 'fromFile' | 'leftBehind'>,
): Promise<{ values: ValuesLike; dryRun: boolean }> {
  const withOrchestrator = await advance(loaded, loadOrchestrator);
  const given = await advance({ ...withOrchestrator, generated: [] as string[] }, resolveGiven);
  const filled = given.interactive ? await askInteractively(given) : await advance(given, fillDefaults);
  const answered = await advance({ ...filled, answers: withDefaultChaincode(completeFromFile(filled), filled.fromFile) }, resolveSecrets);
  const placed = await advance(answered, placeInFiles);
  const checked = await advance(placed, checkValues);

  if (checked.flags.dryRun) {
    await showDryRun(checked);
    printReport(checked.report, checked);
    return { values: checked.values, dryRun: true };
  }
  if (editsInPlace(checked) && !checked.changed) {
    checked.term.info(`${checked.output} already says all of this; nothing to write`);
    printReport(checked.report, checked);
    return { values: checked.values, dryRun: false };
  }
  if (checked.interactive) await confirmWrite(checked);
  const written = await advance(checked, writeFiles);
  printReport(written.report, written);
  if (written.interactive) await offerGeneratedSecrets(written);
  return { values: written.values, dryRun: false };
}

/**
 * Every answer, or what is missing. A required setting the --values file holds in a form the
 * tool cannot read (a number as the organization, channels as a map) is not missing but
 * invalid: validate's message for it says what to fix, where "missing --organization" misleads.
 */
function completeFromFile(ctx: Pick<InitContext, 'partial' | 'flags' | 'files'>): Answers {
  try {
    return completeAnswers(ctx.partial);
  } catch (error) {
    if (!(error instanceof UsageError) || !ctx.flags.values) throw error;
    const missing = [
      ...SETTINGS.filter((s) => s.path && ctx.partial[s.key] === undefined).map((s) => (s.path as string[]).join('.')),
      ...(ctx.partial.channels?.length ? [] : ['orchestrator.channels']),
    ];
    const { errors } = validateStructure(documentValues(ctx.files.doc), { profile: ctx.files.profile });
    const unusable = errors.filter((issue) => missing.some((p) => issue.path === p || issue.path.startsWith(`${p}.`) || issue.path.startsWith(`${p}[`)));
    if (unusable.length) throw new ValidationError(unusable);
    throw error;
  }
}

/**
 * A channel this run adds gets `chaincode: {name: mycc}` unless its spec names one (the CLI
 * contract's `--channel` mapping); one the --values file already has keeps what it has, so an
 * edit touches no line it was not asked to.
 */
function withDefaultChaincode(answers: Answers, fromFile: PartialAnswers): Answers {
  const known = new Set((fromFile.channels ?? []).map((c) => c.name));
  return { ...answers, channels: answers.channels.map((c) => (c.chaincode !== undefined || known.has(c.name) ? c : { ...c, chaincode: DEFAULT_CHAINCODE })) };
}

const editsInPlace = (ctx: Pick<InitContext, 'flags' | 'output' | 'cwd'>) =>
  ctx.flags.values !== undefined && path.resolve(ctx.cwd, ctx.flags.values) === path.resolve(ctx.cwd, ctx.output);

/** The wizard: what the file says first when editing, then what is still open. */
async function askInteractively<C extends Pick<InitContext, 'flags' | 'output' | 'term' | 'prompter' | 'partial' | 'sources' | 'fromFile' | 'hostEdits' | 'mode' | 'checkPasswords' | 'profile' | 'removed' | 'generated'>>(ctx: C) {
  return advance(await advance(ctx, reviewFile), askGaps);
}

function introduce(ctx: Pick<InitContext, 'flags' | 'output' | 'term' | 'cwd'>): void {
  const into = editsInPlace(ctx) ? '' : ` into ${ctx.output}`;
  ctx.term.info(
    ctx.term.color.dim(
      ctx.flags.values
        ? `Editing ${ctx.flags.values}${into}: change what you need; the rest stays byte for byte. Nothing is written before you confirm, and Ctrl-C quits without writing.`
        : `This writes ${ctx.output}, a substra-backend values file, from your answers (Enter takes the suggestion in brackets). Nothing is written before you confirm, and Ctrl-C quits without writing.`,
    ),
  );
}

/** Editing a file: the operator may change any setting it holds; a new file has nothing to review. */
async function reviewFile(ctx: Pick<InitContext, 'flags' | 'prompter' | 'partial' | 'sources'>): Promise<Pick<InitContext, 'partial' | 'sources'>> {
  if (!ctx.flags.values) return { partial: ctx.partial, sources: ctx.sources };
  const { answers, changed } = await reviewSettings(ctx.prompter(), ctx.flags.values, ctx.partial);
  return { partial: answers, sources: { ...ctx.sources, ...Object.fromEntries(changed.map((key) => [key, 'prompt' as const])) } };
}

/**
 * Secrets this run generated are only in the file just written: the wizard offers to show each
 * once, here, or (the default) prints the command that shows its line of the file later.
 */
async function offerGeneratedSecrets(ctx: Pick<InitContext, 'answers' | 'files' | 'output' | 'prompter' | 'term' | 'cwd'>): Promise<void> {
  const { answers } = ctx;
  const file = ctx.files.credentialsFile ?? ctx.output;
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
async function deployAfterInit(ctx: CommandContext & Pick<InitContext, 'flags' | 'output' | 'values'>): Promise<number> {
  const { flags, output, values } = ctx;
  if (!flags.deploy && !ctx.interactive) return 0;
  const given: DeployFlags = { ...flags.deployOptions, values: output, chartVersion: flags.chartVersion, runByDefault: true };
  if (!flags.deploy) {
    const now = await ctx.prompter().confirm({ message: 'Deploy it to the cluster now (helm and kubectl)?', default: false });
    if (!now) {
      ctx.term.info(`deploy later with: substra-deploy deploy --values ${output}`);
      return 0;
    }
  }
  const deployFlags: DeployFlags = ctx.interactive ? { ...given, ...(await askCertificateFiles(given, values, ctx)) } : given;
  // The deploy code (child processes, certificates) loads only when a deployment is asked for.
  const { runDeploy } = await import('./deploy.js');
  return runDeploy(deployFlags, deployContext(ctx), values);
}

/** The deployment records its plan or steps under `deploy` in init's --json document. */
const deployContext = (ctx: CommandContext): CommandContext => ({ ...ctx, outcome: ctx.outcome.section('deploy') });

const secretsModeNeedsChart = (profile: ChartProfile) =>
  new UsageError([
    `--secrets-mode secret needs chart 26.8.0 or later (addAccountOperator.existingSecret); the target is ${profile.version}: raise --chart-version or keep the accounts in the values file`,
  ]);

/** The file to write is free to write, or the operator chose (in the wizard) to edit or replace it. */
async function chooseTarget(ctx: Pick<InitContext, 'flags' | 'output' | 'cwd' | 'interactive' | 'prompter'>): Promise<Pick<InitContext, 'flags'>> {
  const { flags, output } = ctx;
  const target = path.resolve(ctx.cwd, output);
  if (!editsInPlace(ctx) && !flags.force && (await fileExists(target))) {
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
      return chooseTarget({ ...ctx, flags: choice === 'edit' ? { ...flags, values: output } : { ...flags, force: true } });
    }
    throw new UsageError([
      flags.values
        ? `--output ${output} already exists and is not the --values file; add --force to replace it`
        : `${output} already exists; edit it with --values ${output}, or add --force to replace it`,
    ]);
  }
  await checkWritable(output, flags.output === undefined && flags.values !== undefined ? '--values' : '--output', ctx.cwd);
  return { flags };
}

/** The --values file (or a new document), what it says, and its credentials file in secrets mode. */
async function loadFiles(
  ctx: Pick<InitContext, 'flags' | 'output' | 'profile' | 'cwd'>,
): Promise<Pick<InitContext, 'files' | 'mode' | 'fromFile' | 'leftBehind' | 'unlockCredentials'>> {
  const { flags, output, profile, cwd } = ctx;
  const { doc, mode, snapshot } = await loadExisting(flags, cwd);
  const inFile = flags.values ? answersFromValues(documentValues(doc), profile) : {};
  const valuesSnapshot = editsInPlace(ctx) && snapshot ? snapshot : await snapshotOf(output, cwd);
  const { files, accounts, leftBehind, unlockCredentials } = await accountFiles(ctx, doc, valuesSnapshot);
  return { files, mode, fromFile: { ...inFile, ...accounts }, leftBehind, unlockCredentials };
}

/**
 * The values file and, in secrets mode, the credentials file beside it. A file that names
 * existingSecret has its accounts in its credentials file: that file must be read (starting
 * empty would delete every account), also when leaving secrets mode, where the accounts move
 * back into the values file. A file entering secrets mode gets a credentials file of its own.
 */
async function accountFiles(
  ctx: Pick<InitContext, 'flags' | 'output' | 'profile' | 'cwd'>,
  doc: Document,
  valuesSnapshot: FileSnapshot,
): Promise<{ files: BackendFiles; accounts?: Record<AccountKind, AccountAnswer[]>; leftBehind?: string; unlockCredentials?: () => void }> {
  const { flags, output, profile, cwd } = ctx;
  const files: BackendFiles = { valuesFile: output, doc, profile, valuesSnapshot };
  const existing = flags.values ? existingSecretOf(documentValues(doc)) : undefined;
  const secretsMode = flags.secretsMode ?? (existing ? 'secret' : 'values');
  const readFrom = flags.credentials ?? credentialsPathFor(flags.values ?? output);
  if (secretsMode === 'values') {
    if (!existing || !flags.values) return { files };
    const source: BackendFiles = { valuesFile: flags.values, doc, profile };
    await attachCredentials(source, readFrom, existing, cwd, 'required');
    return { files, accounts: accountsOf(source), leftBehind: readFrom };
  }
  if (!profile.supportsExistingSecret) throw secretsModeNeedsChart(profile);
  const secretName = flags.accountsSecret ?? existing ?? DEFAULT_ACCOUNTS_SECRET;
  const writeTo = flags.credentials ?? credentialsPathFor(output);
  const unlockCredentials = await lockFiles([writeTo], cwd);
  try {
    if (!existing) {
      await startCredentials(files, writeTo, secretName, cwd, Boolean(flags.force), '--credentials');
      return { files, unlockCredentials };
    }
    await attachCredentials(files, readFrom, secretName, cwd, 'required');
    const accounts = accountsOf(files);
    if (path.resolve(cwd, readFrom) !== path.resolve(cwd, writeTo)) {
      // Written beside another --output: the file there is this run's to create.
      const read = files.credentialsDoc;
      await startCredentials(files, writeTo, secretName, cwd, Boolean(flags.force), '--credentials');
      files.credentialsDoc = read;
    }
    return { files, accounts, unlockCredentials };
  } catch (error) {
    unlockCredentials();
    throw error;
  }
}

async function loadExisting(flags: InitFlags, cwd: string): Promise<{ doc: Document; mode: SettingsMode; snapshot?: FileSnapshot }> {
  if (!flags.values) return { doc: newValuesDocument(), mode: 'prod' };
  const { text, snapshot } = await readEditableFile(flags.values, '--values', cwd);
  const doc = parseValuesDocument(text, flags.values);
  const settings = documentValues(doc).settings;
  return { doc, mode: settings === 'dev' ? 'dev' : 'prod', snapshot };
}

async function loadOrchestrator(ctx: Pick<InitContext, 'flags' | 'cwd'>): Promise<Pick<InitContext, 'orchestrator'>> {
  return { orchestrator: ctx.flags.orchestratorValues ? await loadOrchestratorChannels(ctx.flags.orchestratorValues, ctx.cwd) : undefined };
}

/** What flags, environment and the file say; every problem with them at once. */
export function resolveGiven(ctx: Pick<InitContext, 'flags' | 'env' | 'fromFile' | 'profile'>): Pick<InitContext, 'partial' | 'sources' | 'hostEdits' | 'removed'> {
  const scalars = resolveScalars(ctx);
  const lists = resolveLists(ctx);
  const problems = [...scalars.problems, ...lists.problems];
  if (problems.length) throw new UsageError(problems);
  return { partial: { ...scalars.answers, ...lists.answers }, sources: scalars.sources, hostEdits: lists.hostEdits, removed: lists.removed };
}

/** flag → environment → --values file → default, for every scalar setting. */
function resolveScalars(ctx: Pick<InitContext, 'flags' | 'env' | 'fromFile'>): { answers: PartialAnswers; sources: Sources; problems: string[] } {
  const order = PROMPT_ORDER.filter((k): k is ScalarKey => SETTINGS.some((s) => s.key === k));
  const answers: Record<string, unknown> = {};
  const sources: Sources = {};
  const problems: string[] = [];
  for (const key of order) {
    const setting = settingFor(key);
    const flagValue = ctx.flags.settings[key];
    const envValue = ctx.env[setting.env];
    if (flagValue !== undefined) {
      const parsed = typeof flagValue === 'boolean' ? { ok: true as const, value: flagValue } : parseSettingValue(setting, flagValue);
      if (parsed.ok) {
        answers[key] = parsed.value;
        sources[key] = 'flag';
      } else problems.push(`--${setting.flag} "${flagValue}": ${parsed.problem}`);
    } else if (envValue !== undefined && envValue !== '') {
      const parsed = parseSettingValue(setting, envValue);
      if (parsed.ok) {
        answers[key] = parsed.value;
        sources[key] = 'env';
      } else problems.push(`${setting.env}="${envValue}": ${parsed.problem}`);
    } else if (ctx.fromFile[key] !== undefined) {
      answers[key] = ctx.fromFile[key];
      sources[key] = 'values';
    }
  }
  return { answers: answers as PartialAnswers, sources, problems };
}

/** Far past any real spec (a name, a channel and a path): refused before it is parsed or shown. */
const MAX_SPEC_LENGTH = 1024;

/** The specs of one list setting: its flags, else its environment variable. */
function specsFor(key: ListKey, ctx: Pick<InitContext, 'flags' | 'env'>): { specs: string[]; problems: string[]; variable?: string } {
  const setting = LIST_SETTINGS.find((l) => l.key === key);
  const fromFlags = ctx.flags.lists[key];
  const fromEnv = setting ? ctx.env[setting.env] : undefined;
  const byFlag = Boolean(fromFlags && fromFlags.length);
  const all = fromFlags && byFlag ? fromFlags : fromEnv ? fromEnv.split(/\s+/).filter(Boolean) : [];
  // A spec from the environment is reported under its variable: the run's command line has no such flag to fix.
  const variable = !byFlag && all.length && setting ? setting.env : undefined;
  const tooLong = all.filter((spec) => spec.length > MAX_SPEC_LENGTH);
  return {
    specs: all.filter((spec) => spec.length <= MAX_SPEC_LENGTH),
    problems: tooLong.map((spec) => `${variable ? `${variable}: ` : ''}--${setting?.flag ?? key}: a spec of ${spec.length} characters is past any real one (at most ${MAX_SPEC_LENGTH}); check the value`),
    ...(variable ? { variable } : {}),
  };
}

/**
 * A list from the file, updated by name from the specs, then the removals. One definition per
 * name in a run: the same name given twice must say the same thing, and may not be both given
 * and removed.
 */
function mergeByName<T extends { name: string }>(input: {
  key: ListKey;
  flag: string;
  /** the environment variable the specs came from, when no flag gave them */
  variable?: string;
  existing: T[];
  specs: string[];
  removals: string[];
  parse: (spec: string) => SpecResult<T>;
  update: (old: T, given: T) => T;
  notThere: (name: string) => string;
}): { entries: T[]; removedNames: string[]; problems: string[] } {
  const { flag } = input;
  const from = input.variable ? `${input.variable}: ` : '';
  const entries = [...input.existing];
  const problems: string[] = [];
  const seen = new Map<string, { spec: string; value: string }>();
  for (const spec of input.specs) {
    const parsed = input.parse(spec);
    if (!parsed.ok) {
      problems.push(from + parsed.problem);
      continue;
    }
    const { name } = parsed.value;
    const text = JSON.stringify(parsed.value);
    const before = seen.get(name);
    if (before && before.value !== text) {
      problems.push(`${from}${flag} "${maskSpec(before.spec)}" and ${flag} "${maskSpec(spec)}" both define "${name}", differently; give it once`);
      continue;
    }
    seen.set(name, { spec, value: text });
    const at = entries.findIndex((e) => e.name === name);
    if (at === -1) entries.push(parsed.value);
    else entries[at] = input.update(entries[at] as T, parsed.value);
  }
  const removeFlag = LIST_SETTINGS.find((l) => l.key === input.key)?.removeFlag;
  for (const name of input.removals) {
    const given = seen.get(name);
    if (given) problems.push(`${flag} "${maskSpec(given.spec)}" and --${removeFlag} ${name} both name "${name}"; give one`);
  }
  const removedNames: string[] = [];
  for (const name of input.removals) {
    const at = entries.findIndex((e) => e.name === name);
    if (at === -1) problems.push(input.notThere(name));
    else {
      entries.splice(at, 1);
      removedNames.push(name);
    }
  }
  return { entries, removedNames, problems };
}

/** Lists from the file stay; flags add or update entries by name; removals must be named. */
function resolveLists(ctx: Pick<InitContext, 'flags' | 'env' | 'fromFile' | 'profile'>): {
  answers: Pick<PartialAnswers, ListKey>;
  hostEdits: InitContext['hostEdits'];
  removed: Issue[];
  problems: string[];
} {
  const { flags, fromFile, profile } = ctx;
  const problems: string[] = [];
  const hosts = specsFor('allowedHosts', ctx);
  problems.push(...hosts.problems);
  const add: string[] = [];
  for (const host of hosts.specs) {
    const problem = rules.allowedHost(host);
    if (problem) problems.push(`${hosts.variable ? `${hosts.variable}: ` : ''}--allowed-host "${host}": ${problem}`);
    else add.push(host);
  }
  const remove = [...(flags.removals.allowedHosts ?? [])];
  for (const host of remove.filter((h) => add.includes(h))) {
    problems.push(`--allowed-host "${host}" and --remove-allowed-host ${host} both name "${host}"; give one`);
  }

  const channelSpecs = specsFor('channels', ctx);
  problems.push(...channelSpecs.problems);
  const channels = mergeByName<ChannelAnswer>({
    key: 'channels',
    flag: '--channel',
    ...(channelSpecs.variable ? { variable: channelSpecs.variable } : {}),
    existing: fromFile.channels ?? [],
    specs: channelSpecs.specs,
    removals: flags.removals.channels ?? [],
    parse: parseChannelSpec,
    update: (_old, given) => given,
    notThere: (name) => `--remove-channel ${name}: there is no such channel`,
  });
  problems.push(...channels.problems);
  const onlyChannel = channels.entries.length === 1 ? channels.entries[0]?.name : undefined;

  const removed: Issue[] = [];
  const accountsOf = (kind: AccountKind): AccountAnswer[] => {
    const specs = specsFor(kind, ctx);
    problems.push(...specs.problems);
    const removeFlag = LIST_SETTINGS.find((l) => l.key === kind)?.removeFlag;
    const merged = mergeByName<AccountAnswer>({
      key: kind,
      flag: ACCOUNT_FLAGS[kind],
      ...(specs.variable ? { variable: specs.variable } : {}),
      existing: fromFile[kind] ?? [],
      specs: specs.specs,
      removals: flags.removals[kind] ?? [],
      parse: (spec) => parseAccountSpec(kind, spec, onlyChannel),
      // A spec without a secret reference keeps the secret already in the file.
      update: (old, given) => (given.origin ? given : { ...given, secret: old.secret, origin: old.origin }),
      notThere: (name) => `--${removeFlag} ${name}: there is no such entry in the --values file`,
    });
    problems.push(...merged.problems);
    removed.push(...merged.removedNames.map((name) => removalNote(profile, kind, name)));
    return merged.entries;
  };
  const accounts = { users: accountsOf('users'), incoming: accountsOf('incoming'), outgoing: accountsOf('outgoing') };
  return { answers: { allowedHosts: fromFile.allowedHosts, channels: channels.entries, ...accounts }, hostEdits: { add, remove }, removed, problems };
}

/** server.defaultDomain, read as its setting reads it: the address the backend announces. */
const announcedAddress = (values: Record<string, unknown>) => readSetting(settingFor('defaultDomain'), values) as string | undefined;

/** Secrets this run changes on accounts the file already had: ineffective before chart 26.12.0. */
function changedSecretNotes(ctx: Pick<InitContext, 'fromFile' | 'profile' | 'answers'>): Issue[] {
  const notes: Issue[] = [];
  for (const kind of ACCOUNT_KINDS) {
    for (const account of ctx.answers[kind]) {
      const before = ctx.fromFile[kind]?.find((a) => a.name === account.name);
      if (!before?.secret || before.secret === account.secret) continue;
      const message = secretChangeIneffective(ctx.profile, kind === 'users' ? 'password' : 'link secret');
      if (message) notes.push({ path: `addAccountOperator ${generatedLabel(kind, account.name)}`, message: `secret changed, but ${message}` });
    }
  }
  return notes;
}

function removalNote(profile: ChartProfile, kind: AccountKind, name: string): Issue {
  const key = kind === 'users' ? 'users' : kind === 'incoming' ? profile.incomingKey : profile.outgoingKey;
  const what = kind === 'users' ? `user "${name}"` : `${kind} organization "${name}"`;
  return {
    path: `addAccountOperator.${key}`,
    message: profile.deletesRemovedAccounts
      ? `removed ${what}: chart ${profile.version} deletes this account from the backend at the next upgrade`
      : `removed ${what}: chart ${profile.version} leaves the account in the backend; delete it there if it must go`,
  };
}

/**
 * Once the domain and subdomain are known: the host settings follow them where the file's
 * values were derived from the old ones (core/hosts.ts), and the list edits apply.
 */
function settleHosts(ctx: Pick<InitContext, 'fromFile' | 'hostEdits' | 'partial' | 'sources'>): Pick<InitContext, 'partial' | 'hostNotes'> {
  const given = new Set(Object.entries(ctx.sources).filter(([, s]) => s === 'flag' || s === 'env' || s === 'prompt').map(([k]) => k));
  const settled = settleHostSettings({ fromFile: ctx.fromFile, answers: ctx.partial, given, addHosts: ctx.hostEdits.add, removeHosts: ctx.hostEdits.remove });
  if (settled.problems.length) throw new UsageError(settled.problems);
  const partial = { ...ctx.partial };
  if (settled.hostname !== undefined) partial.hostname = settled.hostname;
  if (settled.defaultDomain !== undefined) partial.defaultDomain = settled.defaultDomain;
  if (settled.allowedHosts !== undefined) partial.allowedHosts = settled.allowedHosts;
  return { partial, hostNotes: settled.notes };
}

/** Not interactive: every setting still open takes its default, in the guide's order. */
export function fillDefaults(ctx: Pick<InitContext, 'fromFile' | 'hostEdits' | 'partial' | 'sources'>): Pick<InitContext, 'partial' | 'sources' | 'hostNotes'> {
  let partial = { ...ctx.partial };
  const sources = { ...ctx.sources };
  let hostNotes: Issue[] = [];
  const answers = () => partial as Record<string, unknown>;
  for (const key of PROMPT_ORDER) {
    if (key === 'hostname') ({ partial, hostNotes } = settleHosts({ ...ctx, partial, sources }));
    if (key === 'allowedHosts') {
      if (partial.allowedHosts === undefined) {
        partial.allowedHosts = derivedHosts(partial)?.allowedHosts;
        sources.allowedHosts = 'default';
      }
      continue;
    }
    if (key === 'channels' || key === 'users' || key === 'incoming' || key === 'outgoing') continue;
    const setting = settingFor(key);
    if (answers()[key] !== undefined) continue;
    const fallback = setting.default?.(partial);
    if (fallback !== undefined) {
      answers()[key] = fallback;
      sources[key] = 'default';
    }
  }
  return { partial, sources, hostNotes };
}

/** Interactive: asks for every setting still open, in the guide's order. */
export async function askGaps(
  ctx: Pick<InitContext, 'flags' | 'prompter' | 'partial' | 'sources' | 'fromFile' | 'hostEdits' | 'mode' | 'checkPasswords' | 'profile' | 'removed' | 'generated'>,
): Promise<Pick<InitContext, 'partial' | 'sources' | 'hostNotes' | 'removed' | 'generated'>> {
  const prompter = ctx.prompter();
  let partial = { ...ctx.partial };
  const sources = { ...ctx.sources };
  let hostNotes: Issue[] = [];
  const removed = [...ctx.removed];
  const generated = [...ctx.generated];
  const answers = () => partial as Record<string, unknown>;
  for (const key of PROMPT_ORDER) {
    if (key === 'hostname') ({ partial, hostNotes } = settleHosts({ ...ctx, partial, sources }));
    if (key === 'allowedHosts') {
      if (partial.allowedHosts === undefined) {
        partial.allowedHosts = await askAllowedHosts(prompter, derivedHosts(partial)?.allowedHosts ?? []);
        sources.allowedHosts = 'prompt';
      }
      continue;
    }
    if (key === 'channels') {
      if (!partial.channels?.length) partial.channels = await askChannels(prompter, []);
      // Editing a file: its channels stay, and one this organization joins can be added.
      else if (ctx.flags.values && !ctx.flags.lists.channels?.length && (await prompter.confirm({ message: 'Add a channel?', default: false }))) {
        partial.channels = await askChannels(prompter, partial.channels);
      }
      continue;
    }
    if (key === 'users' || key === 'incoming' || key === 'outgoing') {
      const kept = await reviewExisting(prompter, key, ctx.fromFile[key] ?? [], partial[key] ?? []);
      removed.push(...kept.removed.map((name) => removalNote(ctx.profile, key, name)));
      if ((ctx.flags.lists[key]?.length ?? 0) > 0) partial[key] = kept.accounts;
      else {
        const asked = await askAccounts(prompter, key, kept.accounts, (partial.channels ?? []).map((c) => c.name), ctx.mode, ctx.checkPasswords, rules.accountRules(ctx.profile)[key]);
        partial[key] = asked.accounts;
        generated.push(...asked.generated);
      }
      continue;
    }
    const setting: Setting = settingFor(key);
    // Answered in the summary, emptied included: not defaulted over.
    if (answers()[key] !== undefined || sources[key] === 'prompt') continue;
    const fallback = setting.default?.(partial);
    // Editing: what the file leaves unset and need not be set stays so (the review menu sets it).
    if (ctx.flags.values && (setting.optional || fallback !== undefined)) {
      answers()[key] = fallback;
      if (fallback !== undefined) sources[key] = 'default';
      continue;
    }
    if (setting.relevant && !setting.relevant(partial)) {
      answers()[key] = fallback;
      continue;
    }
    answers()[key] = await askScalar(prompter, setting, setting.suggest?.(partial) ?? fallback);
    sources[key] = 'prompt';
  }
  return { partial, sources, hostNotes, removed, generated };
}

/** Reads env/file references; generates, asks for or reports each secret still missing. */
async function resolveSecrets(
  ctx: Pick<InitContext, 'answers' | 'flags' | 'env' | 'cwd' | 'interactive' | 'prompter' | 'mode' | 'checkPasswords' | 'generated' | 'profile'>,
): Promise<Pick<InitContext, 'answers' | 'generated'>> {
  const problems: string[] = [];
  const generated = [...ctx.generated];
  const withSecret = async (kind: AccountKind, given: AccountAnswer): Promise<AccountAnswer> => {
    const account = { ...given };
    const label = `${ACCOUNT_FLAGS[kind]} ${account.name}`;
    const read = await readSecretReference(account, ctx.env, ctx.cwd, label);
    if (read.problem) {
      problems.push(read.problem);
      return account;
    }
    if (read.secret !== undefined) account.secret = read.secret;
    if (account.secret !== undefined) return account;
    if (ctx.flags.generatePasswords) {
      generated.push(generatedLabel(kind, account.name));
      return { ...account, secret: generateSecret(), origin: { kind: 'generated' } };
    }
    if (ctx.interactive && problems.length === 0) {
      const asked = await askSecret(ctx.prompter(), kind, account.name, ctx.mode, ctx.checkPasswords, rules.accountRules(ctx.profile)[kind].secret);
      if (asked.generated) generated.push(generatedLabel(kind, account.name));
      return { ...account, secret: asked.secret, origin: asked.generated ? { kind: 'generated' } : { kind: 'prompt' } };
    }
    const keys = kind === 'users' ? 'password-env=VAR or password-file=PATH' : 'secret-env=VAR or secret-file=PATH';
    const what = kind === 'users' ? 'password' : 'secret';
    // An entry of the --values file without its secret: no spec of the operator's to add to.
    const inFileOnly = ctx.flags.values !== undefined && !(ctx.flags.lists[kind] ?? []).some((spec) => spec.split(',')[0] === account.name);
    const spec = `${ACCOUNT_FLAGS[kind]} ${account.name}${kind === 'users' ? ',channel=CHANNEL' : ''},${keys.replace(' or ', ' (or ')})`;
    problems.push(inFileOnly ? `${generatedLabel(kind, account.name)} in ${ctx.flags.values} has no ${what}: add it there, or give ${spec}, or --generate-passwords` : `${label}: no ${what}; add ${keys} to its spec, or --generate-passwords`);
    return account;
  };
  const resolved = async (kind: AccountKind) => {
    const accounts: AccountAnswer[] = [];
    for (const account of ctx.answers[kind]) accounts.push(await withSecret(kind, account));
    return accounts;
  };
  const users = await resolved('users');
  const incoming = await resolved('incoming');
  const outgoing = await resolved('outgoing');
  if (problems.length) throw new UsageError(problems);
  return { answers: { ...ctx.answers, users, incoming, outgoing }, generated };
}

/**
 * The answers into the documents. The yaml Documents are edited in place (that is how their
 * comments and layout survive): this is the one step that changes what it is given.
 */
function placeInFiles(ctx: Pick<InitContext, 'flags' | 'files' | 'profile' | 'answers' | 'sources' | 'fromFile'>): Pick<InitContext, 'changed' | 'values' | 'notes'> {
  const { flags, files, profile } = ctx;
  const notes = [...linkEntryRepairs(documentValues(files.credentialsDoc ?? files.doc), profile), ...changedSecretNotes(ctx)];
  const announcedBefore = announcedAddress(documentValues(files.doc));
  // Editing: what the file lacks and the run only defaulted stays out (the chart's default holds).
  const leaveOut = new Set(flags.values ? Object.entries(ctx.sources).filter(([, s]) => s === 'default').map(([k]) => k) : []);
  let changed = placeAnswers(files, ctx.answers, leaveOut);
  changed = clearEmptied(files.doc, ctx) || changed;
  if (flags.yamlSchema) changed = setSchemaModeline(files.doc, flags.yamlSchema) || changed;
  const values = effectiveValues(files);
  const announcedNow = announcedAddress(values);
  if (announcedBefore && announcedNow && announcedBefore !== announcedNow) {
    notes.push({
      path: 'server.defaultDomain',
      message: `changes from ${announcedBefore} to ${announcedNow}: a deployed backend registered its address with the orchestrator once and later changes are ignored ("already exists"), so peers keep calling ${announcedBefore}`,
    });
  }
  return { changed, values, notes };
}

/**
 * Optional settings the operator emptied in the wizard ("empty: none") leave the file: writing
 * the answers only sets values, so without this the file's old one would stay.
 */
function clearEmptied(doc: Document, ctx: Pick<InitContext, 'answers' | 'sources'>): boolean {
  let changed = false;
  const current = documentValues(doc);
  for (const setting of SETTINGS) {
    if (!setting.optional || ctx.sources[setting.key] !== 'prompt' || ctx.answers[setting.key] !== undefined) continue;
    if (setting.path && valueAt(current, setting.path) !== undefined) {
      removeNode(doc, [...setting.path]);
      changed = true;
    }
  }
  if (ctx.sources.tlsSecret === 'prompt' && ctx.answers.tlsSecret === undefined) {
    const tls = valueAt(current, ['server', 'ingress', 'extraTls']);
    const at = Array.isArray(tls) ? tls.findIndex((t) => Array.isArray(t?.hosts) && t.hosts.includes(ctx.answers.hostname)) : -1;
    if (at !== -1) {
      removeNode(doc, ['server', 'ingress', 'extraTls', at]);
      changed = true;
    }
  }
  return changed;
}

/** The backend's and the chart's rules; errors stop the run before anything is written. */
async function checkValues(
  ctx: Pick<InitContext, 'values' | 'profile' | 'orchestrator' | 'checkPasswords' | 'output' | 'cwd' | 'hostNotes' | 'notes' | 'removed' | 'generated' | 'term' | 'outcome' | 'interactive'>,
): Promise<Pick<InitContext, 'report'>> {
  const found = await validateValues(ctx.values, { profile: ctx.profile, orchestratorChannels: ctx.orchestrator, checkPasswords: ctx.checkPasswords });
  const report: Report = {
    command: 'init',
    ok: found.errors.length === 0,
    file: path.resolve(ctx.cwd, ctx.output),
    written: false,
    chartVersion: ctx.profile.version,
    errors: found.errors,
    warnings: [...ctx.hostNotes, ...ctx.notes, ...ctx.removed, ...found.warnings],
    generated: ctx.generated,
  };
  if (found.errors.length) {
    printReport(report, ctx);
    throw new ValidationError(found.errors, true);
  }
  return { report };
}

async function showDryRun(ctx: Pick<InitContext, 'flags' | 'output' | 'cwd' | 'files' | 'profile' | 'changed' | 'term'>): Promise<void> {
  const { output, files, profile, term } = ctx;
  if (editsInPlace(ctx) && !ctx.changed) {
    term.info(`dry run: ${output} already says all of this; nothing would be written`);
    return;
  }
  const valuesMode = await plannedMode(output, valuesFileMode(files) === 0o600, ctx.cwd);
  term.info(`dry run: would write ${output} (mode ${modeText(valuesMode)}):\n${maskedDocument(files.doc, profile)}`);
  if (files.credentialsDoc && files.credentialsFile) {
    const credentialsMode = await plannedMode(files.credentialsFile, true, ctx.cwd);
    term.info(`and ${files.credentialsFile} (mode ${modeText(credentialsMode)}):\n${maskedDocument(files.credentialsDoc, profile)}`);
  }
}

/** The wizard shows what changes (secrets masked) and the warnings, then asks before writing. */
async function confirmWrite(ctx: Pick<InitContext, 'output' | 'files' | 'profile' | 'report' | 'term' | 'prompter'>): Promise<void> {
  const { output, files, profile, term } = ctx;
  for (const [file, document] of [[output, files.doc], [files.credentialsFile, files.credentialsDoc]] as const) {
    if (!file || !document) continue;
    const { whole, lines } = pendingChanges(document, profile);
    if (!whole && lines.length === 0) continue;
    const { color } = term;
    const shown = lines.map((l) => (whole ? l : l.startsWith('+ ') ? color.green(l) : l.startsWith('- ') ? color.red(l) : color.dim(l)));
    term.info(`\n${color.bold(whole ? `${file} will hold:` : `${file}: these lines change (everything else stays as it is):`)}\n${shown.join('\n')}`);
  }
  for (const w of ctx.report.warnings) term.warn(`${w.path}: ${w.message}`);
  const ok = await ctx.prompter().confirm({ message: `Write ${output}?`, default: true });
  if (!ok) throw new Cancelled();
}

async function writeFiles(ctx: Pick<InitContext, 'flags' | 'output' | 'cwd' | 'files' | 'answers' | 'leftBehind' | 'report' | 'term' | 'outcome'>): Promise<Pick<InitContext, 'report'>> {
  const { output, files, term } = ctx;
  const { valuesMode, warnings } = await writeBackendFiles(files, ctx.cwd);
  for (const warning of warnings) term.warn(warning);
  // For --json only: in the report's warnings, printReport would print them a second time.
  ctx.outcome.warn(...warnings.map((message) => ({ path: [files.credentialsFile, output].find((f) => f && message.startsWith(f)) ?? output, message })));
  const report: Report = {
    ...ctx.report,
    written: true,
    mode: modeText(valuesMode),
  };
  if (files.credentialsFile) {
    report.credentialsFile = path.resolve(ctx.cwd, files.credentialsFile);
    term.info(`the accounts are in ${files.credentialsFile} (mode 0600, keep it out of git); ${output} names Secret ${existingSecretOf(documentValues(files.doc))} and holds no password`);
  }
  if (ctx.leftBehind) {
    term.info(`the accounts are back in ${output}, which no longer names a Secret; ${ctx.leftBehind} is not read any more: delete it once ${output} is deployed`);
  }
  report.equivalentCommand = equivalentCommand(ctx.answers, output, replayOptions(ctx.flags, files, output));
  return { report };
}
