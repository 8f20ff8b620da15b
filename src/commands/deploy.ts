import path from 'node:path';
import { chartProfile, compareVersions, NEWEST_KNOWN_CHART, parseChartVersion, type ChartProfile } from '../core/chart.js';
import { companionChartsNote } from '../core/compatibility.js';
import { expiryNote, keyMatchesCertificate, readCertificate, readCertificateBundle } from '../core/certs.js';
import { shellQuote } from '../core/command-line.js';
import { StepError, UsageError, ValidationError, type Issue } from '../core/errors.js';
import { hintFor } from '../core/hints.js';
import { accountNamesInSecret, accountNamesInValues, describeDropped, droppedAccounts, type AccountNames } from '../core/deletions.js';
import { manifestDiff } from '../core/manifest-diff.js';
import { encodedValueForms, pemForms, secretForms, secretMasker } from '../core/mask.js';
import {
  ACCOUNT_SECRET_KEYS,
  accountSecretData,
  changeSteps,
  chartRef,
  clusterSteps,
  commandLine,
  DEFAULT_REPO_NAME,
  deployedSteps,
  DEFAULT_REPO_URL,
  fullPlan,
  installStep,
  renderStep,
  repositorySteps,
  toolSteps,
  type ClusterObjects,
  type DeployTarget,
  type Step,
} from '../core/plan.js';
import { validateValues } from '../core/validate.js';
import { accountListsFrom } from '../core/values-doc.js';
import { effectiveValues, existingSecretOf, loadBackendFiles } from '../app/backend-files.js';
import { runCommand, type ExecResult } from '../io/exec.js';
import { readTextFile, registerTemporary } from '../io/files.js';
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
  status: 'done' | 'failed';
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
async function clusterObjects(values: Record<string, any>, flags: DeployFlags, ctx: CommandContext, secretTexts: string[] = []): Promise<ClusterObjects> {
  const tls = values.orchestrator?.tls ?? {};
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
        const mspID = values.orchestrator?.mspID;
        if (typeof mspID === 'string' && !facts.organizations.includes(mspID)) {
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

function target(flags: DeployFlags, ctx: CommandContext): DeployTarget {
  return {
    release: flags.release ?? 'backend',
    namespace: flags.namespace,
    createNamespace: Boolean(flags.createNamespace),
    kubeContext: flags.kubeContext,
    repoName: flags.repoName ?? DEFAULT_REPO_NAME,
    repoUrl: flags.repoUrl ?? DEFAULT_REPO_URL,
    valuesFile: path.resolve(ctx.cwd, flags.values),
    timeoutSeconds: flags.timeout ?? 300,
    wait: Boolean(flags.wait),
  };
}

function tail(text: string, lines = 12): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * Every form a secret of this deployment can take in a tool's output: the account secrets
 * (plain, and base64 at any alignment), the accounts Secret's data values and the client key
 * file as kubectl encodes them whole, and the key's PEM body.
 */
function deploymentMask(values: Record<string, any>, profile: ChartProfile, secretTexts: string[]): (text: string) => string {
  // Every list under addAccountOperator, whatever the chart version calls it.
  const lists = Object.values((values.addAccountOperator ?? {}) as Record<string, unknown>).filter(Array.isArray) as unknown[][];
  const secrets = lists.flat().map((entry) => (entry as { secret?: unknown })?.secret).filter((s): s is string => typeof s === 'string' && s.length >= 4);
  const data = Object.values(accountSecretData(accountListsFrom(values, profile)));
  return secretMasker([...secrets.flatMap(secretForms), ...data.flatMap(encodedValueForms), ...secretTexts.flatMap(pemForms)]);
}

class StepRunner {
  readonly outcomes: StepOutcome[] = [];
  constructor(
    private readonly progress: Progress,
    private readonly mask: (text: string) => string,
    /** the CLI's environment (PATH finds helm and kubectl), passed on whole */
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  async run(step: Step): Promise<ExecResult> {
    this.progress.start(step.title);
    let result = await runCommand(step.command, { timeoutSeconds: step.timeoutSeconds, env: this.env });
    if (result.exitCode === 0 && !result.timedOut && step.pipeTo) {
      // The rendered object (key material for mTLS) goes to kubectl apply on stdin only.
      result = await runCommand(step.pipeTo, { timeoutSeconds: step.timeoutSeconds, input: result.stdout, env: this.env });
    }
    if (step.mayBeAbsent && result.exitCode !== 0 && !result.timedOut && !result.missing && /not found/i.test(result.stderr)) {
      this.progress.succeed(`${step.title}: none`);
      this.outcomes.push({ id: step.id, title: step.title, status: 'done' });
      return result;
    }
    if (result.exitCode !== 0 || result.timedOut || result.missing) {
      this.progress.fail(step.title);
      this.outcomes.push({ id: step.id, title: step.title, status: 'failed' });
      const failed = step.pipeTo && !result.missing && result.exitCode !== 0 ? step.pipeTo : step.command;
      const what = result.missing ? `${failed.bin} was not found` : result.timedOut ? `timed out after ${step.timeoutSeconds}s` : `${failed.bin} exited ${result.exitCode}`;
      // helm or kubectl may quote a values line in an error: never echo a secret.
      const output = tail(this.mask(result.stderr || result.stdout));
      throw new StepError(
        `step "${step.title}" failed: ${what}${output ? `\n${output.replace(/^/gm, '  │ ')}` : ''}`,
        `hint: ${hintFor(step, result.stderr + result.stdout, { timedOut: result.timedOut, missing: result.missing, bin: failed.bin })}`,
      );
    }
    this.progress.succeed(step.title);
    this.outcomes.push({ id: step.id, title: step.title, status: 'done' });
    return result;
  }
}

/**
 * The accounts Secret's three keys as files in a private folder (0700, files 0600) for as
 * long as the steps run, then removed: the passwords never reach a command line.
 */
async function withAccountFiles(objects: ClusterObjects, values: Record<string, any>, profile: ChartProfile, run: () => Promise<void>): Promise<void> {
  const secret = objects.accountsSecret;
  if (!secret) return run();
  const data = accountSecretData(accountListsFrom(values, profile));
  return withPrivateFolder('substra-deploy-', async (dir) => {
    secret.dataDir = dir;
    for (const key of ACCOUNT_SECRET_KEYS) await writeFile(path.join(dir, key), data[key], { mode: 0o600 });
    await run();
  });
}

/** A folder only this user can read, for as long as `run` runs, then removed (also on a signal). */
async function withPrivateFolder(prefix: string, run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  const forget = registerTemporary(dir);
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
    forget();
  }
}

/**
 * Chart 26.0.0 mounts the CA from a Secret; a cluster set up for an older chart has it in a
 * ConfigMap of the same name. When the Secret is missing and that ConfigMap holds ca.crt, the
 * certificate goes through a private temporary file into the Secret the chart mounts.
 */
async function withConvertedCa(objects: ClusterObjects, found: Map<string, ExecResult>, ctx: CommandContext, run: () => Promise<void>): Promise<void> {
  const secret = found.get('ca-exists');
  const configMap = found.get('ca-configmap');
  if (!objects.caName || objects.caFile || !secret || secret.exitCode === 0) return run();
  let pem: unknown;
  try {
    pem = configMap?.exitCode === 0 ? (JSON.parse(configMap.stdout) as { data?: Record<string, unknown> }).data?.['ca.crt'] : undefined;
  } catch {
    pem = undefined;
  }
  if (typeof pem !== 'string' || pem.trim() === '') {
    throw new StepError(
      `secret ${objects.caName} (orchestrator.tls.cacert) is not in the cluster, and no ConfigMap of that name holds a ca.crt to convert`,
      `hint: the CA object is not in the cluster, so the backend pods would never start: pass --orchestrator-ca-cert FILE (for a public CA, the system bundle such as /etc/ssl/certs/ca-certificates.crt)`,
    );
  }
  const caName = objects.caName;
  return withPrivateFolder('substra-deploy-ca-', async (dir) => {
    objects.caFile = path.join(dir, 'ca.crt');
    await writeFile(objects.caFile, pem, { mode: 0o600 });
    ctx.term.info(`converting ConfigMap ${caName} (charts before 26.0.0) into the Secret ${caName} that this chart mounts`);
    await run();
  });
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

export async function validateForDeploy(file: string, profile: ChartProfile, ctx: CommandContext, credentials?: string): Promise<Record<string, any>> {
  // A values file naming existingSecret without its credentials file is refused here: the
  // Secret applied from nothing would delete every account.
  const files = await loadBackendFiles(file, profile, ctx.cwd, credentials, 'required');
  const values = effectiveValues(files);
  const report = await validateValues(values, { profile, checkPasswords: ctx.checkPasswords });
  if (report.errors.length) {
    for (const e of report.errors) ctx.term.info(`${e.path}: ${e.message}`);
    throw new ValidationError(report.errors, true);
  }
  return values;
}

/**
 * From chart 26.12.0 the account Job deletes what the values no longer name. Compares the
 * accounts deployed now with the ones this deployment carries and stops, naming each that
 * would go, unless --allow-deletions (or the operator says so when asked).
 */
async function guardDeletions(deployed: ExecResult, values: Record<string, any>, profile: ChartProfile, accountsSecret: string | undefined, flags: DeployFlags, ctx: CommandContext): Promise<void> {
  if (deployed.exitCode !== 0) return; // nothing deployed yet
  let now: AccountNames;
  try {
    const parsed = JSON.parse(deployed.stdout) as { data?: Record<string, string> } & Record<string, unknown>;
    now = accountsSecret
      ? accountNamesInSecret(Object.fromEntries(Object.entries(parsed.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')])))
      : accountNamesInValues(parsed, profile);
  } catch {
    throw new StepError('could not read what is deployed (not JSON)', 'hint: check that helm and kubectl answer -o json');
  }
  const dropped = describeDropped(droppedAccounts(now, accountNamesInValues(values, profile)));
  if (dropped.length === 0) return;
  const what = `the upgrade deletes ${dropped.join(', ')} from the backend: chart ${profile.version} removes every account the values no longer name`;
  if (flags.allowDeletions || flags.diff) {
    ctx.term.warn(`${what}${flags.diff ? '' : ' (--allow-deletions)'}`);
    return;
  }
  if (ctx.interactive && (await ctx.prompter().confirm({ message: `${what}. Delete them?`, default: false }))) return;
  throw new StepError(`stopped before changing anything: ${what}`, 'hint: add them back to the values file (substra-deploy init --values FILE --user …), or run again with --allow-deletions');
}

function printPlan(steps: Step[], out: (line: string) => void): void {
  for (const step of steps) out(`$ ${commandLine(step, shellQuote)}`);
}

/**
 * `preloaded`: the values init has just validated (and, with --dry-run, not written), so the
 * file is not read again.
 */
export async function runDeploy(flags: DeployFlags, ctx: CommandContext, preloaded?: Record<string, any>): Promise<number> {
  const where = target(flags, ctx);
  const assumed = chartProfile(flags.chartVersion ?? NEWEST_KNOWN_CHART);
  const values = preloaded ?? (await validateForDeploy(flags.values, assumed, ctx, flags.credentials));
  const secretTexts: string[] = [];
  const objects = await clusterObjects(values, flags, ctx, secretTexts);
  const secretName = existingSecretOf(values);
  if (secretName) objects.accountsSecret = { name: secretName, dataDir: path.join(tmpdir(), 'substra-deploy-XXXXXX') };

  if (flags.dryRun) {
    const steps = fullPlan(where, objects, assumed);
    if (!flags.chartVersion) ctx.term.info(`(dry run: chart version shown as ${assumed.version}, the newest this tool knows; a real run uses the repository's newest)`);
    ctx.term.info(companionChartsNote(assumed.version));
    // With --json the plan is part of the one document; stdout holds nothing else.
    ctx.outcome.set({ dryRun: true, chartVersion: assumed.version, steps: steps.map((s) => ({ id: s.id, title: s.title, line: commandLine(s, shellQuote) })) });
    if (!flags.json) printPlan(steps, (line) => ctx.term.out(line));
    return 0;
  }
  ctx.outcome.set({ dryRun: false });

  if (ctx.interactive) {
    ctx.term.info(ctx.term.color.bold('\nDeploying takes these steps:'));
    printPlan(fullPlan(where, objects, assumed), (line) => ctx.term.info(`  ${line}`));
    if (!(await ctx.prompter().confirm({ message: 'Run them now?', default: flags.runByDefault ?? true }))) {
      ctx.term.info(`nothing was run; later: substra-deploy deploy --values ${flags.values}`);
      ctx.outcome.set({ steps: [] });
      return 0;
    }
  }

  const progress = await createProgress(ctx.term, process.stderr, ctx.interactive);
  const runner = new StepRunner(progress, deploymentMask(values, assumed, secretTexts), ctx.env);
  try {
    const [helmVersion, kubectlVersion] = toolSteps() as [Step, Step];
    checkHelmVersion((await runner.run(helmVersion)).stdout);
    await runner.run(kubectlVersion);
    const [add, update, search] = repositorySteps(where) as [Step, Step, Step];
    await runner.run(add);
    await runner.run(update);
    const version = resolveVersion((await runner.run(search)).stdout, flags.chartVersion, chartRef(where));
    const profile = chartProfile(version);
    ctx.outcome.set({ chartVersion: version });
    if (profile.version !== assumed.version && !preloaded) await validateForDeploy(flags.values, profile, ctx, flags.credentials);
    const found = new Map<string, ExecResult>();
    for (const step of clusterSteps(where, objects, profile)) {
      const result = await runner.run(step);
      found.set(step.id, result);
      if (step.id.startsWith('can-i') && result.stdout.trim() !== 'yes') {
        throw new StepError(`not allowed to ${step.title.replace('Check permission to ', '')} in ${where.namespace ?? 'the current namespace'}`, `hint: ${hintFor(step, 'forbidden', { timedOut: false, missing: false, bin: 'kubectl' })}`);
      }
    }
    const [deployedAccounts, deployedManifest] = profile.deletesRemovedAccounts || flags.diff ? deployedSteps(where, objects.accountsSecret?.name, Boolean(flags.diff)) : [];
    if (deployedAccounts && profile.deletesRemovedAccounts) {
      await guardDeletions(await runner.run(deployedAccounts), values, profile, objects.accountsSecret?.name, flags, ctx);
    }
    if (flags.diff) {
      const rendered = await runner.run(renderStep(where, version));
      const deployed = deployedManifest ? await runner.run(deployedManifest) : undefined;
      const lines = manifestDiff(deployed?.exitCode === 0 ? deployed.stdout : '', rendered.stdout);
      const mask = deploymentMask(values, profile, secretTexts);
      // With --json the diff is part of the one document; stdout holds nothing else.
      ctx.outcome.set({ diff: lines.map(mask) });
      if (!flags.json) for (const line of lines) ctx.term.out(mask(line));
      ctx.term.success(lines.length ? `that is what an upgrade to ${version} changes (Secrets masked); nothing was changed` : `an upgrade to ${version} changes nothing in the cluster`);
      return 0;
    }
    await withConvertedCa(objects, found, ctx, async () =>
      withAccountFiles(objects, values, profile, async () => {
        for (const step of changeSteps(where, objects, profile)) await runner.run(step);
      }),
    );
    await runner.run(renderStep(where, version));
    await runner.run(installStep(where, version));
    ctx.term.success(`release ${where.release} runs ${chartRef(where)} ${version}${where.namespace ? ` in namespace ${where.namespace}` : ''}`);
    ctx.term.info(companionChartsNote(version));
    ctx.term.info(`check it with: substra-deploy verify --url https://<your backend host> --user <name>`);
    return 0;
  } finally {
    // The steps done so far are in the --json document, however the run ends.
    ctx.outcome.set({ steps: runner.outcomes });
  }
}
