import path from 'node:path';
import { chartProfile, compareVersions, NEWEST_KNOWN_CHART, parseChartVersion, type SemVer } from '../core/chart.js';
import { StepError, UsageError, ValidationError, type Issue } from '../core/errors.js';
import { migrateDocument } from '../core/migrate.js';
import { validateValues } from '../core/validate.js';
import { renderDocument } from '../core/values-doc.js';
import { runCommand } from '../io/exec.js';
import { effectiveValues, loadBackendFiles, writeBackendFiles } from '../app/backend-files.js';
import type { CommandContext } from '../app/context.js';

export interface MigrateFlags {
  from?: string;
  /** read --from from this deployed helm release */
  release?: string;
  namespace?: string;
  kubeContext?: string;
  to?: string;
  dryRun?: boolean;
  credentials?: string;
}

/**
 * Carries a values file to another chart version: each value a crossed version renamed,
 * re-shaped or dropped is rewritten in place (everything else kept), each rewrite named with
 * the version that required it, then the steps in the cluster the file cannot carry.
 */
/** The chart version a deployed release runs, from `helm list` (chart "substra-backend-22.5.1"). */
async function deployedChartVersion(flags: MigrateFlags, env: NodeJS.ProcessEnv): Promise<string> {
  const release = flags.release as string;
  const args = ['list', '--filter', `^${release.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, '-o', 'json', ...(flags.namespace ? ['--namespace', flags.namespace] : []), ...(flags.kubeContext ? ['--kube-context', flags.kubeContext] : [])];
  const result = await runCommand({ bin: 'helm', args }, { timeoutSeconds: 30, env });
  if (result.missing) throw new StepError('helm was not found on PATH', 'hint: install helm 3.8 or later, or give --from');
  if (result.exitCode !== 0) throw new StepError(`helm list could not read release ${release}: ${result.stderr.trim().split('\n').pop() ?? ''}`, 'hint: check --namespace and --kube-context, or give --from');
  let entries: Array<{ chart?: string }>;
  try {
    entries = JSON.parse(result.stdout) as Array<{ chart?: string }>;
  } catch {
    throw new StepError('helm list did not answer JSON', 'hint: give --from');
  }
  const chart = entries[0]?.chart;
  const version = chart ? /^substra-backend-(\d+\.\d+\.\d+)/.exec(chart)?.[1] : undefined;
  if (!version) throw new UsageError([`--release ${release}: no substra-backend release of that name${flags.namespace ? ` in namespace ${flags.namespace}` : ''}${chart ? ` (it runs ${chart})` : ''}; give --from`]);
  return version;
}

export async function runMigrate(file: string, flags: MigrateFlags, ctx: CommandContext): Promise<number> {
  if (!flags.from && flags.release) {
    flags.from = await deployedChartVersion(flags, ctx.env);
    ctx.term.info(`release ${flags.release} runs substra-backend ${flags.from}`);
  }
  if (!flags.from) throw new UsageError([`missing --from: the chart version ${file} was written for, or --release NAME to read it from the deployed release (helm list)`]);
  const from = parseChartVersion(flags.from) as SemVer;
  const toText = flags.to ?? NEWEST_KNOWN_CHART;
  const to = parseChartVersion(toText) as SemVer;
  if (compareVersions(from, to) > 0) throw new UsageError([`--from ${flags.from} is newer than --to ${toText}: migrate only goes forward`]);
  if (compareVersions(from, [13, 0, 0]) < 0) {
    throw new UsageError([`--from ${flags.from}: charts before 13.0.0 lay out accounts and TLS differently (top-level users, incomingNodes, orchestrator.tls.secrets); move such a file by hand to the 13.x layout first`]);
  }
  const beyond: Issue[] = [];
  if (compareVersions(to, parseChartVersion(NEWEST_KNOWN_CHART) as SemVer) > 0) {
    const newest = compareVersions(from, parseChartVersion(NEWEST_KNOWN_CHART) as SemVer) > 0 ? flags.from : NEWEST_KNOWN_CHART;
    beyond.push({
      path: '--to',
      message: `this tool knows the charts up to ${NEWEST_KNOWN_CHART}: whatever ${toText} changed after it is not rewritten; read the chart's CHANGELOG from ${newest} to ${toText}`,
    });
  }
  const files = await loadBackendFiles(file, chartProfile(flags.from), ctx.cwd, flags.credentials);
  const before = renderDocument(files.doc);
  const result = migrateDocument(files.doc, flags.from, toText);
  const changed = renderDocument(files.doc) !== before;

  for (const r of result.rewrites) ctx.term.info(`${r.version}: ${r.change} (${r.why})`);
  for (const l of result.leftovers) ctx.term.warn(`${l.version}: ${l.change}: ${l.why}`);
  const check = await validateValues(effectiveValues(files), { profile: chartProfile(toText), checkPasswords: ctx.checkPasswords });
  const errors: Issue[] = check.errors.map((e) => ({ path: `${file}: ${e.path}`, message: e.message }));
  for (const w of check.warnings) ctx.term.warn(`${file}: ${w.path}: ${w.message}`);
  for (const w of beyond) ctx.term.warn(`${w.path}: ${w.message}`);

  if (result.runbook.length) {
    ctx.term.info(`\nSteps in the cluster the file cannot carry, in order (RELEASE, NAMESPACE, FULLNAME = RELEASE-substra-backend, CACERT, DB_USER, DB_NAME, VALUES to fill in):`);
    result.runbook.forEach((step, i) => {
      ctx.term.info(`\n${i + 1}. ${step.version}: ${step.title} (when ${step.when})\n   ${step.why}`);
      for (const command of step.commands) ctx.term.info(`   $ ${command}`);
    });
  }
  ctx.outcome.set({
    file: path.resolve(ctx.cwd, file), from: flags.from, to: toText,
    rewrites: result.rewrites, leftovers: result.leftovers, runbook: result.runbook, written: false,
  });
  ctx.outcome.warn(...check.warnings, ...beyond);
  if (errors.length) {
    for (const e of errors) ctx.term.info(`${e.path}: ${e.message}`);
    ctx.term.info(`nothing was written: after the rewrites above, ${file} still breaks these rules of chart ${toText}; fix them, then run migrate again`);
    throw new ValidationError(errors, true);
  }
  if (!changed) ctx.term.success(`${file} needs no rewrite from ${flags.from} to ${toText}`);
  else if (flags.dryRun) ctx.term.success(`dry run: would rewrite ${file} (${result.rewrites.length} change${result.rewrites.length === 1 ? '' : 's'})`);
  else {
    await writeBackendFiles(files, ctx.cwd);
    ctx.outcome.set({ written: true });
    ctx.term.success(`rewrote ${file} for chart ${toText} (${result.rewrites.length} change${result.rewrites.length === 1 ? '' : 's'}); run migrate again to check: it changes nothing`);
  }
  return 0;
}
