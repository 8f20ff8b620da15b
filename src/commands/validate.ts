import path from 'node:path';
import { chartProfile } from '../core/chart.js';
import { ValidationError } from '../core/errors.js';
import { validateValues } from '../core/validate.js';
import { documentValues, parseValuesDocument } from '../core/values-doc.js';
import { readTextFile } from '../io/files.js';
import type { CommandContext } from './context.js';
import { loadOrchestratorChannels, printReport } from './report.js';

export interface ValidateFlags {
  orchestratorValues?: string;
  chartVersion?: string;
  json?: boolean;
}

/** Checks a values file with init's rules; changes nothing. */
export async function runValidate(file: string, flags: ValidateFlags, ctx: CommandContext): Promise<number> {
  const profile = chartProfile(flags.chartVersion);
  const text = await readTextFile(file, 'values file', ctx.cwd);
  const values = documentValues(parseValuesDocument(text, file));
  const orchestrator = flags.orchestratorValues ? await loadOrchestratorChannels(flags.orchestratorValues, ctx.cwd) : undefined;
  const report = await validateValues(values, { profile, orchestratorChannels: orchestrator, checkPasswords: ctx.checkPasswords });
  printReport(
    {
      command: 'validate',
      ok: report.errors.length === 0,
      file: path.resolve(ctx.cwd, file),
      chartVersion: profile.version,
      errors: report.errors,
      warnings: report.warnings,
    },
    ctx,
    Boolean(flags.json),
  );
  if (report.errors.length) throw new ValidationError(report.errors, true);
  return 0;
}
