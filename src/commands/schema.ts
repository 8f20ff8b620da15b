import { SCHEMA_DESCRIPTION, valuesJsonSchema } from '../core/json-schema.js';
import { UsageError } from '../core/errors.js';
import { snapshotOf, writeFilesAtomic } from '../io/files.js';
import type { CommandContext } from '../app/context.js';

/** Whether `bytes` are a schema this command wrote: rewriting one is what --output is for. */
function isOwnSchema(bytes: Buffer): boolean {
  try {
    return (JSON.parse(bytes.toString('utf8')) as { description?: unknown } | null)?.description === SCHEMA_DESCRIPTION;
  } catch {
    return false;
  }
}

export async function runSchema(flags: { output?: string; chartVersion?: string; force?: boolean }, ctx: CommandContext): Promise<number> {
  const text = `${JSON.stringify(valuesJsonSchema(flags.chartVersion), null, 2)}\n`;
  if (!flags.output) {
    ctx.term.out(text);
    return 0;
  }
  // A values file named here by mistake (-o backend-values.yaml) would lose every password.
  const snapshot = await snapshotOf(flags.output, ctx.cwd);
  if (snapshot.bytes !== undefined && !flags.force && !isOwnSchema(snapshot.bytes)) {
    throw new UsageError([`--output ${flags.output} already exists and is not a schema written by substra-deploy; add --force to replace it`]);
  }
  const { warnings } = await writeFilesAtomic([{ file: flags.output, text, secret: false, snapshot }], ctx.cwd);
  for (const warning of warnings) ctx.term.warn(warning);
  ctx.term.success(`wrote ${flags.output}; point a values file at it with: substra-deploy init --values FILE --yaml-schema ${flags.output}`);
  return 0;
}
