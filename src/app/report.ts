import type { Issue } from '../core/errors.js';
import { ValidationError } from '../core/errors.js';
import { orchestratorChannels, type OrchestratorChannel } from '../core/orchestrator.js';
import type { EquivalentCommand } from '../core/command-line.js';
import type { PlacedVersion } from '../core/compatibility.js';
import { documentValues, parseValuesDocument } from '../core/values-doc.js';
import { readTextFile } from '../io/files.js';
import type { CommandContext } from './context.js';

export interface Report {
  command: 'init' | 'validate';
  ok: boolean;
  file: string;
  written?: boolean;
  mode?: string;
  chartVersion: string;
  errors: Issue[];
  warnings: Issue[];
  generated?: string[];
  credentialsFile?: string;
  equivalentCommand?: EquivalentCommand;
  /** validate with other components' chart versions: whether Substra released them together */
  chartSet?: { together: boolean; releases: string[]; versions: PlacedVersion[]; notes: string[] };
}

/** Errors as `path: message` lines on stderr (the contract); the rest recorded for --json. */
export function printReport(report: Report, ctx: Pick<CommandContext, 'term' | 'outcome' | 'interactive'>): void {
  const { term } = ctx;
  const { file, written, mode, chartVersion, generated, credentialsFile, equivalentCommand, chartSet } = report;
  ctx.outcome.set({ file, written, mode, chartVersion, generated, credentialsFile, equivalentCommand, chartSet });
  ctx.outcome.warn(...report.warnings);
  for (const e of report.errors) term.info(`${term.color.red(e.path)}: ${e.message}`);
  if (report.command === 'validate' || !ctx.interactive) {
    for (const w of report.warnings) term.warn(`${w.path}: ${w.message}`);
  }
  if (report.written) {
    term.success(`wrote ${report.file} (mode ${report.mode})`);
    if (report.generated?.length) {
      term.info(`generated secrets for ${report.generated.join(', ')}: they are only in ${report.credentialsFile ?? report.file}`);
    }
    if (ctx.interactive && report.equivalentCommand) {
      term.info(`\nTo repeat this in CI:\n  ${report.equivalentCommand.command}`);
      if (report.equivalentCommand.environment.length) {
        term.info('with these environment variables set:');
        for (const e of report.equivalentCommand.environment) term.info(`  ${e.variable}  ${e.holds}`);
      }
    }
  } else if (report.command === 'validate' && report.ok) {
    term.success(`${report.file} is valid for substra-backend ${report.chartVersion}`);
  }
  // Not together: the warning already placed every version.
  if (report.chartSet?.together) for (const note of report.chartSet.notes) term.info(`note: ${note}`);
  if (report.chartSet?.together && report.chartSet.releases.length) {
    term.info(`the chart versions belong together (Substra release ${[...report.chartSet.releases].reverse().join(', ')})`);
  }
}

export async function loadOrchestratorChannels(file: string, cwd: string): Promise<OrchestratorChannel[]> {
  const text = await readTextFile(file, '--orchestrator-values', cwd);
  const values = documentValues(parseValuesDocument(text, file));
  const { channels, errors } = orchestratorChannels(values, file);
  if (errors.length) throw new ValidationError(errors);
  return channels;
}
