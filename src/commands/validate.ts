import path from 'node:path';
import { chartProfile } from '../core/chart.js';
import { checkChartVersions, type VersionSetCheck } from '../core/compatibility.js';
import { ValidationError } from '../core/errors.js';
import { frontendPairIssues } from '../core/frontend.js';
import { documentValues, parseValuesDocument } from '../core/values-doc.js';
import { readTextFile } from '../io/files.js';
import { validateValues } from '../core/validate.js';
import { linkChannelIssues } from '../core/values-shape.js';
import { loadBackendFiles, effectiveValues } from '../app/backend-files.js';
import type { CommandContext } from '../app/context.js';
import { peerIssues } from './link.js';
import { loadOrchestratorChannels, printReport } from '../app/report.js';

export interface ValidateFlags {
  orchestratorValues?: string;
  chartVersion?: string;
  peers?: string[];
  credentials?: string;
  /** the substra-frontend values to check together with this backend */
  frontend?: string;
  orchestratorChartVersion?: string;
  frontendChartVersion?: string;
}

/**
 * Whether the backend chart (given, or the default) and the other charts named on the command
 * line were released together; the warning says which backend version was assumed.
 */
function chartSetCheck(backend: string, flags: ValidateFlags): VersionSetCheck {
  const check = checkChartVersions({ backend, orchestrator: flags.orchestratorChartVersion, frontend: flags.frontendChartVersion });
  if (check.warning && !flags.chartVersion) check.warning += ` (backend chart ${backend} is the default: name the deployed one with --chart-version)`;
  return check;
}

/** Checks a values file with init's rules; changes nothing. */
export async function runValidate(file: string, flags: ValidateFlags, ctx: CommandContext): Promise<number> {
  const profile = chartProfile(flags.chartVersion);
  const files = await loadBackendFiles(file, profile, ctx.cwd, flags.credentials, 'optional');
  const orchestrator = flags.orchestratorValues ? await loadOrchestratorChannels(flags.orchestratorValues, ctx.cwd) : undefined;
  const report = await validateValues(effectiveValues(files), { profile, orchestratorChannels: orchestrator, checkPasswords: ctx.checkPasswords });
  if (files.credentialsFile && !files.credentialsFound) {
    report.warnings.push({
      path: 'addAccountOperator.existingSecret',
      message: `the credentials file ${files.credentialsFile} is not there: the accounts were not checked (--credentials FILE)`,
    });
  }
  if (flags.peers?.length) {
    const peers = await Promise.all(flags.peers.map((p) => loadBackendFiles(p, profile, ctx.cwd, undefined, 'optional')));
    report.errors.push(...peerIssues(files, peers));
    for (const peer of peers) {
      report.errors.push(...linkChannelIssues(effectiveValues(peer), profile).map((i) => ({ path: `${peer.valuesFile}: ${i.path}`, message: i.message })));
    }
  }
  if (flags.frontend) {
    const frontend = documentValues(parseValuesDocument(await readTextFile(flags.frontend, '--frontend', ctx.cwd), flags.frontend));
    const pair = frontendPairIssues(effectiveValues(files), frontend, { frontend: flags.frontend });
    report.errors.push(...pair.errors);
    report.warnings.push(...pair.warnings);
  }
  const chartSet = flags.orchestratorChartVersion || flags.frontendChartVersion ? chartSetCheck(profile.version, flags) : undefined;
  if (chartSet?.warning) report.warnings.push({ path: 'chart versions', message: chartSet.warning });
  printReport(
    {
      command: 'validate',
      ok: report.errors.length === 0,
      file: path.resolve(ctx.cwd, file),
      chartVersion: profile.version,
      errors: report.errors,
      warnings: report.warnings,
      ...(chartSet ? { chartSet: { together: chartSet.together, releases: chartSet.commonReleases, versions: chartSet.versions, notes: chartSet.notes } } : {}),
    },
    ctx,
  );
  if (report.errors.length) throw new ValidationError(report.errors, true);
  return 0;
}
