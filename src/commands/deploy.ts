import path from 'node:path';
import { chartProfile, compareVersions, NEWEST_KNOWN_CHART, parseChartVersion, type ChartProfile } from '../core/chart.js';
import { companionChartsNote } from '../core/compatibility.js';
import { expiryNote, keyMatchesCertificate, readCertificate, readCertificateBundle } from '../core/certs.js';
import { shellQuote } from '../core/command-line.js';
import { StepError, UsageError, ValidationError, type Issue } from '../core/errors.js';
import { hintFor } from '../core/hints.js';
import { accountNamesInSecret, accountNamesInValues, describeDropped, droppedAccounts, joinedAccounts, NO_ACCOUNTS, type AccountNames } from '../core/deletions.js';
import { manifestDiff } from '../core/manifest-diff.js';
import { encodedValueForms, pemForms, secretForms, secretMasker, secretValuesIn } from '../core/mask.js';
import {
  ACCOUNT_SECRET_KEYS,
  accountSecretData,
  chartRef,
  commandLine,
  DEFAULT_REPO_NAME,
  DEFAULT_REPO_URL,
  deploymentSteps,
  planLine,
  preparationSteps,
  stepNote,
  type ClusterObjects,
  type DeployTarget,
  type Fact,
  type PrivateFiles,
  type Reading,
  type Step,
} from '../core/plan.js';
import type { ValuesLike } from '../core/questions.js';
import type { ManagedValues } from '../core/values-shape.js';
import { validateStructure, withPasswordsChecked } from '../core/validate.js';
import { accountListsFrom, SECRET_KEY } from '../core/values-doc.js';
import { effectiveValues, existingSecretOf, loadBackendFiles } from '../app/backend-files.js';
import { runCommand, type ExecResult } from '../io/exec.js';
import { readTextFile, registerTemporary } from '../io/files.js';
import { addInterruptionNote } from '../io/interruption.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createProgress, type Progress } from '../io/progress.js';
import type { CommandContext } from '../app/context.js';

export interface DeployFlags {
  values: string;
  dryRun?: boolean;
  release?: string;
  namespace?: string;
  createNamespace?: boolean;
  kubeContext?: string;
  repoName?: string;
  repoUrl?: string;
  chartVersion?: string;
  /** seconds */
  timeout?: number;
  wait?: boolean;
  orchestratorCaCert?: string;
  clientCert?: string;
  clientKey?: string;
  /** the credentials file of a values file using existingSecret */
  credentials?: string;
  /** stdout is the --json document: the dry-run plan goes into it, not out as `$ ` lines */
  json?: boolean;
  /** let an upgrade on chart 26.12.0+ delete accounts the values no longer name */
  allowDeletions?: boolean;
  /** show what the upgrade changes in the cluster (rendered manifests against the release), change nothing */
  diff?: boolean;
  /** the default answer of the interactive "run these steps?" question */
  runByDefault?: boolean;
}

interface StepOutcome {
  id: string;
  title: string;
  /** 'skipped': the step's `when` did not hold (e.g. the CA Secret was there: nothing to convert) */
  status: 'done' | 'failed' | 'skipped';
  /** the command line run (or skipped), secrets never in it */
  line: string;
  when?: string;
}

const MIN_HELM: [number, number, number] = [3, 8, 0];

/** A warning for people on stderr, and in the --json document. */
function warn(ctx: CommandContext, path: string, message: string): void {
  ctx.term.warn(`${path}: ${message}`);
  ctx.outcome.warn({ path, message });
}

/**
 * Reads the values file's TLS settings and checks the certificate files against them.
 * `secretTexts` receives the private key read, for masking.
 */
async function clusterObjects(values: ManagedValues, flags: DeployFlags, ctx: CommandContext, secretTexts: string[] = []): Promise<ClusterObjects> {
  const tls = values.orchestrator.tls ?? {};
  const objects: ClusterObjects = {};
  const problems: string[] = [];
  const mismatches: Issue[] = [];
  const now = new Date();
  if (flags.orchestratorCaCert && !tls.enabled) problems.push(`--orchestrator-ca-cert: TLS is off in ${flags.values} (orchestrator.tls.enabled), so the CA would not be used`);
  if ((flags.clientCert || flags.clientKey) && !(tls.enabled && tls.mtls?.enabled)) {
    problems.push(`--client-cert/--client-key: mTLS is off in ${flags.values} (orchestrator.tls.mtls.enabled)`);
  }
  if (Boolean(flags.clientCert) !== Boolean(flags.clientKey)) problems.push('--client-cert and --client-key go together: give both');
  if (tls.enabled && tls.cacert) {
    objects.caName = tls.cacert;
    if (flags.orchestratorCaCert) {
      const pem = await readTextFile(flags.orchestratorCaCert, '--orchestrator-ca-cert', ctx.cwd);
      const bundle = readCertificateBundle(pem, now);
      const facts = bundle.certificates.length === 1 ? bundle.certificates[0] : undefined;
      if (bundle.problem) problems.push(`--orchestrator-ca-cert ${flags.orchestratorCaCert}: ${bundle.problem}`);
      else if (!facts) {
        ctx.term.info(`orchestrator CA: a bundle of ${bundle.certificates.length} certificates (e.g. a public CA bundle)`);
        if (bundle.expired) warn(ctx, `--orchestrator-ca-cert ${flags.orchestratorCaCert}`, `${bundle.expired} of its certificates have expired; the orchestrator's chain must lead to one still valid`);
        objects.caFile = path.resolve(ctx.cwd, flags.orchestratorCaCert);
      } else {
        const expiry = expiryNote(facts);
        if (expiry.problem) problems.push(`--orchestrator-ca-cert ${flags.orchestratorCaCert}: ${expiry.problem}`);
        else {
          ctx.term.info(`orchestrator CA: ${facts.subject}, valid until ${facts.validTo.toISOString().slice(0, 10)}`);
          if (expiry.warning) warn(ctx, `--orchestrator-ca-cert ${flags.orchestratorCaCert}`, expiry.warning);
        }
        objects.caFile = path.resolve(ctx.cwd, flags.orchestratorCaCert);
      }
    }
  }
  if (tls.enabled && tls.mtls?.enabled && tls.mtls.clientCertificate) {
    objects.clientSecretName = tls.mtls.clientCertificate;
    if (flags.clientCert && flags.clientKey) {
      const certPem = await readTextFile(flags.clientCert, '--client-cert', ctx.cwd);
      const keyPem = await readTextFile(flags.clientKey, '--client-key', ctx.cwd);
      secretTexts.push(keyPem);
      const { facts, problem } = readCertificate(certPem, now);
      if (problem || !facts) problems.push(`--client-cert ${flags.clientCert}: ${problem}`);
      else {
        const pair = keyMatchesCertificate(certPem, keyPem);
        if (pair.problem) problems.push(`--client-key ${flags.clientKey}: ${pair.problem}`);
        else if (!pair.matches) problems.push(`--client-key ${flags.clientKey}: is not the key of --client-cert ${flags.clientCert}; give the matching pair`);
        const expiry = expiryNote(facts);
        if (expiry.problem) problems.push(`--client-cert ${flags.clientCert}: ${expiry.problem}`);
        if (expiry.warning) warn(ctx, `--client-cert ${flags.clientCert}`, expiry.warning);
        ctx.term.info(`client certificate: O=${facts.organization ?? '(none)'}, CN=${facts.commonName ?? '(none)'}, valid until ${facts.validTo.toISOString().slice(0, 10)}`);
        const mspID = values.orchestrator.mspID;
        if (!facts.organizations.includes(mspID)) {
          const held = facts.organizations.length ? `O=${facts.organizations.join(', O=')}` : 'no O';
          mismatches.push({
            path: 'orchestrator.mspID',
            message: `is "${mspID}", but the client certificate ${flags.clientCert} has ${held}: with verifyClientMSPID the orchestrator refuses every call whose certificate's O does not name the mspID the backend sends; give this organization's certificate, or issue one with O=${mspID}`,
          });
        }
      }
      objects.clientCertFile = path.resolve(ctx.cwd, flags.clientCert);
      objects.clientKeyFile = path.resolve(ctx.cwd, flags.clientKey);
    }
  }
  if (problems.length) throw new UsageError(problems);
  if (mismatches.length) throw new ValidationError(mismatches);
  return objects;
}

/** The chart repository's credentials, from the environment only: a password on a command line shows in process lists. */
function repoCredentials(env: NodeJS.ProcessEnv): { username?: string; password?: string } {
  const username = env.SUBSTRA_REPO_USERNAME || undefined;
  const password = env.SUBSTRA_REPO_PASSWORD || undefined;
  if (password && !username) throw new UsageError(['SUBSTRA_REPO_PASSWORD is set but SUBSTRA_REPO_USERNAME is not: set both for a chart repository that needs them, or unset it']);
  if (username && !password) throw new UsageError(['SUBSTRA_REPO_USERNAME is set but SUBSTRA_REPO_PASSWORD is not: set both for a chart repository that needs them, or unset it']);
  return { username, password };
}

function target(flags: DeployFlags, ctx: CommandContext): DeployTarget {
  const { username } = repoCredentials(ctx.env);
  return {
    release: flags.release ?? 'backend',
    namespace: flags.namespace,
    createNamespace: Boolean(flags.createNamespace),
    kubeContext: flags.kubeContext,
    repoName: flags.repoName ?? DEFAULT_REPO_NAME,
    repoUrl: flags.repoUrl ?? DEFAULT_REPO_URL,
    ...(username ? { repoUsername: username } : {}),
    valuesFile: path.resolve(ctx.cwd, flags.values),
    timeoutSeconds: flags.timeout ?? 300,
    wait: Boolean(flags.wait),
  };
}

function tail(text: string, lines = 12): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * Every form a secret of this deployment can take in a tool's output: the account secrets and
 * the values of password-like keys anywhere in the file (plain, and base64 at any alignment),
 * the accounts Secret's data values and the client key file as kubectl encodes them whole, and
 * the key's PEM body.
 */
function deploymentMask(values: ManagedValues, raw: ValuesLike, profile: ChartProfile, secretTexts: string[], env: NodeJS.ProcessEnv): (text: string) => string {
  // Every list under addAccountOperator, whatever the chart version calls it.
  const lists = Object.values(values.addAccountOperator ?? {}).filter(Array.isArray) as unknown[][];
  const accountSecrets = lists.flat().map((entry) => (entry as { secret?: unknown })?.secret);
  const secrets = [...accountSecrets, ...secretValuesIn(raw, SECRET_KEY), repoCredentials(env).password].filter((s): s is string => typeof s === 'string' && s.length >= 4);
  const data = Object.values(accountSecretData(accountListsFrom(values, profile)));
  return secretMasker([...secrets.flatMap(secretForms), ...data.flatMap(encodedValueForms), ...secretTexts.flatMap(pemForms)]);
}

/** `helm repo add/update` change only helm's own list of repositories. */
const changesCluster = (step: Step) => step.effect === 'change' && !(step.command.bin === 'helm' && step.command.args[0] === 'repo');

/** Runs one step (and the command its output is piped to); a failure stops the run with the tool's own words, masked. */
class StepRunner {
  readonly outcomes: StepOutcome[] = [];
  /** the steps done that changed the cluster (not helm's own list of repositories), and the one running now */
  private readonly changed: string[] = [];
  private running?: Step;
  constructor(
    private readonly progress: Progress,
    /** hides every secret of the deployment in a tool's output; replaced when the values are read again */
    public mask: (text: string) => string,
    /** the CLI's environment (PATH finds helm and kubectl), passed on whole */
    private readonly env: NodeJS.ProcessEnv,
    /** the contents of a step's private files, by path */
    private readonly privateContents: (files: PrivateFiles) => Record<string, string>,
    /** the chart repository's password, for a step that reads it on stdin */
    private readonly repoPassword = '',
  ) {}

  /** What an interruption leaves behind, truthfully: the changes made, and the step cut short. */
  interruptionNote(): string | undefined {
    const running = this.running && changesCluster(this.running) ? `; interrupted: ${this.running.title} (it may have taken effect in part; running the same command again finishes it)` : '';
    if (this.changed.length === 0) return `deploy: nothing in the cluster was changed before the interruption${running}`;
    return `deploy: in the cluster, done before the interruption: ${this.changed.join(', ')}${running}`;
  }

  private record(step: Step, status: StepOutcome['status']): void {
    if (this.running === step) this.running = undefined;
    if (status === 'done' && changesCluster(step)) this.changed.push(step.title);
    this.outcomes.push({ id: step.id, title: step.title, status, line: commandLine(step, shellQuote), ...(step.when ? { when: step.when.text } : {}) });
  }

  skip(step: Step): void {
    this.progress.succeed(`${step.title}: not needed (${step.when?.otherwise ?? 'its condition does not hold'})`);
    this.record(step, 'skipped');
  }

  async run(step: Step): Promise<ExecResult> {
    this.progress.start(step.title);
    this.running = step;
    const files = step.privateFiles ? this.privateContents(step.privateFiles) : {};
    let result: ExecResult;
    try {
      for (const [file, content] of Object.entries(files)) await writeFile(file, content, { mode: 0o600 });
      result = await runCommand(step.command, { timeoutSeconds: step.timeoutSeconds, env: this.env, ...(step.secretStdin ? { input: this.repoPassword } : {}) });
      if (result.exitCode === 0 && !result.timedOut && step.pipeTo) {
        // The rendered object (key material for mTLS) goes to kubectl apply on stdin only.
        result = await runCommand(step.pipeTo, { timeoutSeconds: step.timeoutSeconds, input: result.stdout, env: this.env });
      }
    } finally {
      // The files live for this step only.
      await Promise.all(Object.keys(files).map((file) => rm(file, { force: true })));
    }
    if (step.mayBeAbsent && result.exitCode !== 0 && !result.timedOut && !result.missing && /not found/i.test(result.stderr)) {
      this.progress.succeed(`${step.title}: none`);
      this.record(step, 'done');
      return result;
    }
    if (result.exitCode !== 0 || result.timedOut || result.missing) {
      this.progress.fail(step.title);
      this.record(step, 'failed');
      const failed = step.pipeTo && !result.missing && result.exitCode !== 0 ? step.pipeTo : step.command;
      const what = result.missing ? `${failed.bin} was not found` : result.timedOut ? `timed out after ${step.timeoutSeconds}s` : `${failed.bin} exited ${result.exitCode}`;
      // helm or kubectl may quote a values line in an error: never echo a secret.
      const output = tail(this.mask(step.stdoutHoldsDeployedSecrets ? result.stderr : result.stderr || result.stdout));
      throw new StepError(
        `step "${step.title}" failed: ${what}${output ? `\n${output.replace(/^/gm, '  │ ')}` : ''}`,
        `hint: ${hintFor(step, result.stderr + result.stdout, { timedOut: result.timedOut, missing: result.missing, bin: failed.bin })}`,
      );
    }
    this.progress.succeed(step.title);
    this.record(step, 'done');
    return result;
  }
}

/** What the steps' answers established, for the steps after them and for the end of the run. */
interface Findings {
  chartVersion?: string;
  facts: Set<Fact>;
  /** the CA read from a ConfigMap of a chart before 26.0.0, for the conversion step */
  convertedCa?: string;
  /** the accounts deployed now, from every source read so far */
  deployed: AccountNames;
  rendered?: string;
  deployedManifest?: string;
}

/** A folder only this user can read, for as long as `run` runs, then removed (also on a signal). */
async function withPrivateFolder<T>(prefix: string, ctx: CommandContext, run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  const forget = registerTemporary(dir);
  try {
    return await run(dir);
  } finally {
    // A folder that cannot be removed is said, without hiding how the run ended.
    await rm(dir, { recursive: true, force: true }).catch((error: Error) => ctx.term.warn(`could not remove the private folder ${dir}: ${error.message}; remove it by hand`));
    forget();
  }
}

/** Picks the chart version: the one asked for if the repository has it, else the newest. */
function resolveVersion(searchJson: string, wanted: string | undefined, repo: string): string {
  let entries: Array<{ version?: string }>;
  try {
    entries = JSON.parse(searchJson) as Array<{ version?: string }>;
  } catch {
    throw new StepError(`helm search repo ${repo} did not answer JSON`, 'hint: check that helm is version 3.8 or later');
  }
  const versions = entries
    .map((e) => e.version ?? '')
    .filter((v) => parseChartVersion(v))
    .sort((a, b) => compareVersions(parseChartVersion(b)!, parseChartVersion(a)!));
  if (versions.length === 0) throw new StepError(`the repository has no ${repo} chart`, 'hint: check --repo-url');
  if (!wanted) return versions[0] as string;
  if (!versions.includes(wanted)) {
    throw new StepError(
      `chart version ${wanted} is not in the repository (${repo})`,
      `hint: it has ${versions.slice(0, 15).join(', ')}${versions.length > 15 ? ', …' : ''}; pass one of them to --chart-version`,
    );
  }
  return wanted;
}

function checkHelmVersion(output: string): void {
  const version = parseChartVersion(output.trim().replace(/\+.*$/, ''));
  if (version && compareVersions(version, MIN_HELM) < 0) {
    throw new StepError(`helm ${output.trim()} is too old`, 'hint: install helm 3.8 or later');
  }
}

/** The values of a file as the chart reads them (the accounts from the credentials file in secrets mode), unchecked. */
async function readDeployedFile(flags: Pick<DeployFlags, 'values' | 'credentials'>, profile: ChartProfile, ctx: CommandContext): Promise<ValuesLike> {
  // A values file naming existingSecret without its credentials file is refused here: the
  // Secret applied from nothing would delete every account.
  return effectiveValues(await loadBackendFiles(flags.values, profile, ctx.cwd, flags.credentials, 'required'));
}

/** Values checked by every rule for `profile` (passwords too, unless init just checked them), as the schema reads them. */
async function checkedValues(values: ValuesLike, profile: ChartProfile, ctx: CommandContext, passwordsChecked: boolean): Promise<ManagedValues> {
  // One parse: the report carries the values as the schema read them.
  const structure = validateStructure(values, { profile });
  const { errors, values: managed } = passwordsChecked ? structure : await withPasswordsChecked(structure, { checkPasswords: ctx.checkPasswords });
  if (errors.length || !managed) {
    for (const e of errors) ctx.term.info(`${e.path}: ${e.message}`);
    throw new ValidationError(errors, true);
  }
  return managed;
}

/** The accounts a deployed source holds: the release's values, or the accounts Secret's data. */
function deployedAccountNames(answer: ExecResult, from: 'release' | 'secret', profile: ChartProfile): { names: AccountNames; namedSecret?: string } {
  try {
    const parsed = JSON.parse(answer.stdout) as { data?: Record<string, string> } & Record<string, unknown>;
    if (from === 'secret') {
      return { names: accountNamesInSecret(Object.fromEntries(Object.entries(parsed.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]))) };
    }
    const namedSecret = existingSecretOf(parsed);
    return { names: accountNamesInValues(parsed, profile), ...(namedSecret ? { namedSecret } : {}) };
  } catch {
    throw new StepError('could not read what is deployed (not JSON)', 'hint: check that helm and kubectl answer -o json');
  }
}

/**
 * From chart 26.12.0 the account Job deletes what the values no longer name. Compares the
 * accounts deployed now with the ones this deployment carries and stops, naming each that
 * would go, unless --allow-deletions (or the operator says so when asked).
 */
async function guardDeletions(deployed: AccountNames, values: ManagedValues, profile: ChartProfile, flags: DeployFlags, ctx: CommandContext): Promise<void> {
  const dropped = describeDropped(droppedAccounts(deployed, accountNamesInValues(values, profile)));
  if (dropped.length === 0) return;
  const what = `the upgrade deletes ${dropped.join(', ')} from the backend: chart ${profile.version} removes every account the values no longer name`;
  await allowOrStop(what, 'Delete them?', 'add them back to the values file (substra-deploy init --values FILE --user …), or run again with --allow-deletions', flags, ctx);
}

/** A loss the operator must allow: --allow-deletions (or --diff, which changes nothing) warns, a terminal asks, anything else stops. */
async function allowOrStop(what: string, question: string, fix: string, flags: DeployFlags, ctx: CommandContext): Promise<void> {
  if (flags.allowDeletions || flags.diff) {
    ctx.term.warn(`${what}${flags.diff ? '' : ' (--allow-deletions)'}`);
    return;
  }
  if (ctx.interactive && (await ctx.prompter().confirm({ message: `${what}. ${question}`, default: false }))) return;
  throw new StepError(`stopped before changing anything: ${what}`, `hint: ${fix}`);
}

/** The CA of a chart before 26.0.0, from its ConfigMap's answer, for the conversion step. */
function caFromConfigMap(answer: ExecResult, name: string, ctx: CommandContext): string {
  let pem: unknown;
  try {
    pem = answer.exitCode === 0 ? (JSON.parse(answer.stdout) as { data?: Record<string, unknown> }).data?.['ca.crt'] : undefined;
  } catch {
    pem = undefined;
  }
  if (typeof pem !== 'string' || pem.trim() === '') {
    throw new StepError(
      `secret ${name} (orchestrator.tls.cacert) is not in the cluster, and no ConfigMap of that name holds a ca.crt to convert`,
      `hint: the CA object is not in the cluster, so the backend pods would never start: pass --orchestrator-ca-cert FILE (for a public CA, the system bundle such as /etc/ssl/certs/ca-certificates.crt)`,
    );
  }
  ctx.term.info(`converting ConfigMap ${name} (charts before 26.0.0) into the Secret ${name} that this chart mounts`);
  return pem;
}

/**
 * Runs the steps in order: a step whose `when` does not hold is skipped, every answer goes to
 * the reader its step names. The list run is the list printed.
 */
async function runSteps(
  steps: Step[],
  runner: StepRunner,
  findings: Findings,
  read: (step: Step & { reads: Reading }, answer: ExecResult) => Promise<void>,
): Promise<void> {
  for (const step of steps) {
    if (step.when && !findings.facts.has(step.when.fact)) {
      runner.skip(step);
      continue;
    }
    const answer = await runner.run(step);
    if (step.reads) await read({ ...step, reads: step.reads }, answer);
  }
}

function printPlan(steps: Step[], out: (line: string) => void): void {
  for (const step of steps) out(`$ ${planLine(step, shellQuote)}`);
}

/** Where the accounts' files and a converted CA go while the steps run. */
function privateObjects(objects: ClusterObjects, values: ManagedValues, profile: ChartProfile, dir: string): ClusterObjects {
  const accountsSecret = existingSecretOf(values);
  return {
    ...objects,
    ...(accountsSecret ? { accountsSecret: { name: accountsSecret, dataDir: dir } } : {}),
    ...(objects.caName && !objects.caFile && profile.caObjectKind === 'Secret' ? { caConversionFile: path.join(dir, 'ca.crt') } : {}),
  };
}

/** The name a dry run shows for the private folder a real run makes (mktemp's template). */
const PRIVATE_FOLDER_SHOWN = path.join(tmpdir(), 'substra-deploy-XXXXXX');

/**
 * `preloaded`: the values init has just validated (and, with --dry-run, not written), so the
 * file is not read again.
 */
export async function runDeploy(flags: DeployFlags, ctx: CommandContext, preloaded?: ValuesLike): Promise<number> {
  const where = target(flags, ctx);
  // The version asked for, or the newest this tool knows until the repository says which it has.
  const expected = chartProfile(flags.chartVersion ?? NEWEST_KNOWN_CHART);
  // Read once: a version the repository answers later checks these same values again.
  const raw = preloaded ?? (await readDeployedFile(flags, expected, ctx));
  let values = await checkedValues(raw, expected, ctx, Boolean(preloaded));
  const secretTexts: string[] = [];
  const objects = await clusterObjects(values, flags, ctx, secretTexts);
  const preparation = preparationSteps(where, flags.chartVersion);

  if (flags.dryRun) {
    const steps = [...preparation, ...deploymentSteps(where, privateObjects(objects, values, expected, PRIVATE_FOLDER_SHOWN), expected, { diff: flags.diff })];
    if (!flags.chartVersion) ctx.term.info(`(dry run: the steps after the version search are shown for chart ${expected.version}, the newest this tool knows; a real run uses the repository's newest, or pass --chart-version)`);
    ctx.term.info(companionChartsNote(expected.version));
    // With --json the plan is part of the one document; stdout holds nothing else.
    ctx.outcome.set({
      dryRun: true,
      chartVersion: expected.version,
      chartVersionAssumed: !flags.chartVersion,
      steps: steps.map((s) => {
        const note = stepNote(s);
        return { id: s.id, title: s.title, line: commandLine(s, shellQuote), ...(s.when ? { when: s.when.text } : {}), ...(note ? { note } : {}) };
      }),
    });
    if (!flags.json) printPlan(steps, (line) => ctx.term.out(line));
    return 0;
  }
  ctx.outcome.set({ dryRun: false });

  const findings: Findings = { facts: new Set(), deployed: NO_ACCOUNTS };
  let profile = expected;
  const progress = await createProgress(ctx.term, ctx.term.infoStream, ctx.interactive);
  const runner = new StepRunner(progress, deploymentMask(values, raw, expected, secretTexts, ctx.env), ctx.env, (files) => {
    if (files.kind === 'converted-ca') return { [files.file]: findings.convertedCa ?? '' };
    // The accounts Secret's three keys as files: the passwords never reach a command line.
    const data = accountSecretData(accountListsFrom(values, profile));
    return Object.fromEntries(ACCOUNT_SECRET_KEYS.map((key) => [path.join(files.dir, key), data[key]]));
  }, repoCredentials(ctx.env).password);
  // Recorded as they go: a signal's --json document holds the steps done so far.
  ctx.outcome.set({ steps: runner.outcomes });
  const forgetNote = addInterruptionNote(() => runner.interruptionNote());
  const read = async (step: Step & { reads: Reading }, answer: ExecResult): Promise<void> => {
    const reading = step.reads;
    switch (reading.kind) {
      case 'helm-version':
        return checkHelmVersion(answer.stdout);
      case 'chart-versions':
        findings.chartVersion = resolveVersion(answer.stdout, reading.wanted, chartRef(where));
        return;
      case 'permission':
        if (answer.stdout.trim() !== 'yes') {
          throw new StepError(`not allowed to create ${reading.resource} in ${where.namespace ?? 'the current namespace'}`, `hint: ${hintFor(step, 'forbidden', { timedOut: false, missing: false, bin: 'kubectl' })}`);
        }
        return;
      case 'object-presence':
        if (answer.exitCode !== 0) findings.facts.add(reading.absent);
        return;
      case 'ca-configmap':
        findings.convertedCa = caFromConfigMap(answer, reading.name, ctx);
        return;
      case 'deployed-accounts': {
        if (answer.exitCode === 0) {
          const { names, namedSecret } = deployedAccountNames(answer, reading.from, profile);
          findings.deployed = joinedAccounts(findings.deployed, names);
          if (namedSecret && namedSecret !== reading.accountsSecret) {
            // The release reads its accounts from a Secret this run does not read (or replace).
            await allowOrStop(
              `the release reads its accounts from Secret ${namedSecret} (addAccountOperator.existingSecret), and this deployment ${reading.accountsSecret ? `uses Secret ${reading.accountsSecret}` : 'has them in the values file'}: every account only in ${namedSecret} would be deleted`,
              'Go on?',
              `check that the values name every account in it (kubectl get secret ${namedSecret} -o jsonpath='{.data.users}' | base64 -d shows the users), then run again with --allow-deletions`,
              flags,
              ctx,
            );
          }
        }
        if (reading.last) await guardDeletions(findings.deployed, values, profile, flags, ctx);
        return;
      }
      case 'deployed-manifest':
        findings.deployedManifest = answer.exitCode === 0 ? answer.stdout : '';
        return;
      case 'rendered':
        findings.rendered = answer.stdout;
        return;
    }
  };
  // Shown before any step runs (asked in a terminal), and again when the repository's version is another.
  const confirmed = async (steps: Step[], header: string, declined: string): Promise<boolean> => {
    ctx.term.info(ctx.term.color.bold(`\n${header}`));
    printPlan(steps, (line) => ctx.term.info(`  ${line}`));
    // A diff changes nothing in the cluster: shown, not asked.
    if (!ctx.interactive || flags.diff) return true;
    if (await ctx.prompter().confirm({ message: 'Run them now?', default: flags.runByDefault ?? true })) return true;
    ctx.term.info(`${declined}; later: substra-deploy deploy --values ${flags.values}`);
    ctx.outcome.set({ declined: true });
    return false;
  };
  try {
    return await withPrivateFolder('substra-deploy-', ctx, async (dir) => {
      const stepsFor = (p: ChartProfile) => deploymentSteps(where, privateObjects(objects, values, p, dir), p, { diff: flags.diff });
      let steps = stepsFor(expected);
      const what = flags.diff ? 'Comparing with' : 'Deploying';
      if (ctx.interactive) {
        const shown = flags.chartVersion ? `chart ${expected.version}` : `chart ${expected.version} (the newest this tool knows; if the repository's newest is another, you are asked again)`;
        if (!(await confirmed([...preparation, ...steps], `${what} ${shown} takes these steps:`, 'nothing was run'))) return 0;
      }
      await runSteps(preparation, runner, findings, read);
      if (!findings.chartVersion) throw new StepError('the version search gave no chart version', 'hint: check that helm answers `helm search repo -o json`');
      const version = findings.chartVersion;
      ctx.outcome.set({ chartVersion: version });
      if (version !== expected.version) {
        profile = chartProfile(version);
        values = await checkedValues(raw, profile, ctx, Boolean(preloaded));
        runner.mask = deploymentMask(values, raw, profile, secretTexts, ctx.env);
        steps = stepsFor(profile);
        const header = `The repository's newest chart is ${version}, not ${expected.version}: ${what.toLowerCase()} it takes these steps:`;
        if (!(await confirmed(steps, header, 'nothing was changed in the cluster'))) return 0;
      }
      await runSteps(steps, runner, findings, read);
      if (flags.diff) {
        const lines = manifestDiff(findings.deployedManifest ?? '', findings.rendered ?? '');
        // With --json the diff is part of the one document; stdout holds nothing else.
        ctx.outcome.set({ diff: lines.map(runner.mask) });
        if (!flags.json) for (const line of lines) ctx.term.out(runner.mask(line));
        if (findings.facts.has('ca-secret-missing')) {
          warn(ctx, 'orchestrator.tls.cacert', `secret ${objects.caName} is not in the cluster: a deploy converts a ConfigMap of that name if there is one, else stops (pass --orchestrator-ca-cert)`);
        }
        ctx.term.success(lines.length ? `that is what an upgrade to ${version} changes (Secrets masked); nothing was changed` : `an upgrade to ${version} changes nothing in the cluster`);
        return 0;
      }
      ctx.term.success(`release ${where.release} runs ${chartRef(where)} ${version}${where.namespace ? ` in namespace ${where.namespace}` : ''}`);
      ctx.term.info(companionChartsNote(version));
      ctx.term.info(`check it with: substra-deploy verify --url https://<your backend host> --user <name>`);
      return 0;
    });
  } finally {
    // The steps done so far are in the --json document, however the run ends.
    ctx.outcome.set({ steps: runner.outcomes });
    forgetNote();
  }
}
