import { valuesJsonSchema } from '../core/json-schema.js';
import { writeFilesAtomic } from '../io/files.js';
import type { CommandContext } from '../app/context.js';

export async function runSchema(flags: { output?: string; chartVersion?: string }, ctx: CommandContext): Promise<number> {
  const text = `${JSON.stringify(valuesJsonSchema(flags.chartVersion), null, 2)}\n`;
  if (!flags.output) {
    ctx.term.out(text);
    return 0;
  }
  const { warnings } = await writeFilesAtomic([{ file: flags.output, text, secret: false }], ctx.cwd);
  for (const warning of warnings) ctx.term.warn(warning);
  ctx.term.success(`wrote ${flags.output}; point a values file at it with: substra-deploy init --values FILE --yaml-schema ${flags.output}`);
  return 0;
}
