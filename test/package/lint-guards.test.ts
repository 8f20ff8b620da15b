import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

/**
 * The layering rules hold only if the lint config really applies them where they matter: an
 * override's no-restricted-imports replaces the base rule, so each probe is linted with the
 * project's own .eslintrc.json, from where a real module would sit.
 */
const EXEC = 'child processes go through src/io/exec.ts only';
const CORE = 'src/core is pure: no I/O, terminal or prompts';
const PROMPTS = 'prompts go through src/prompts only';

type Finding = { line: number; message: string };

/** The import restrictions eslint reports for a file of the project, with the project's config. */
async function restrictedImports(relativePath: string): Promise<Finding[]> {
  // `npm run lint` runs eslint in its eslintrc mode (ESLINT_USE_FLAT_CONFIG=false): the same class.
  const { LegacyESLint } = (await import('eslint/use-at-your-own-risk')) as unknown as {
    LegacyESLint: new (options: { cwd: string }) => {
      lintFiles(files: string[]): Promise<Array<{ messages: Array<{ line: number; message: string; ruleId: string | null }> }>>;
    };
  };
  const [result] = await new LegacyESLint({ cwd: ROOT }).lintFiles([path.join(ROOT, relativePath)]);
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map(({ line, message }) => ({ line, message }));
}

/** A module written where a real one would sit, linted, then removed. */
async function lintProbe(relativePath: string, source: string): Promise<Finding[]> {
  const file = path.join(ROOT, relativePath);
  writeFileSync(file, source);
  try {
    return await restrictedImports(relativePath);
  } finally {
    rmSync(file, { force: true });
  }
}

const imports = (...specifiers: string[]) => `${specifiers.map((s, i) => `import * as m${i} from '${s}';`).join('\n')}\nexport const all = [${specifiers.map((_, i) => `m${i}`).join(', ')}];\n`;

describe('lint keeps the layers apart', () => {
  it('refuses execa and child_process in src/commands: child processes go through src/io/exec.ts', async () => {
    const found = await lintProbe('src/commands/__probe__.ts', imports('execa', 'child_process', 'node:child_process', '@inquirer/prompts'));
    expect(found).toEqual([
      { line: 1, message: `'execa' import is restricted from being used. ${EXEC}` },
      { line: 2, message: `'child_process' import is restricted from being used. ${EXEC}` },
      { line: 3, message: `'node:child_process' import is restricted from being used. ${EXEC}` },
      { line: 4, message: `'@inquirer/prompts' import is restricted from being used. ${PROMPTS}` },
    ]);
  });

  it('refuses every spelling of the file system and of child processes in src/core', async () => {
    const found = await lintProbe(
      'src/core/__probe__.ts',
      imports('fs', 'node:fs', 'node:fs/promises', 'fs/promises', 'child_process', 'node:child_process', 'execa', 'chalk', '../io/files.js'),
    );
    expect(found.map((f) => f.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const f of found) expect(f.message, `line ${f.line}`).toContain(CORE);
  });

  it('refuses execa in the prompts and elsewhere in src/io, and lets src/io/exec.ts use it', async () => {
    expect(await lintProbe('src/prompts/__probe__.ts', imports('execa', '@inquirer/prompts'))).toEqual([
      { line: 1, message: `'execa' import is restricted from being used. ${EXEC}` },
    ]);
    expect(await lintProbe('src/io/__probe__.ts', imports('execa'))).toEqual([
      { line: 1, message: `'execa' import is restricted from being used. ${EXEC}` },
    ]);
    expect(await restrictedImports('src/io/exec.ts')).toEqual([]);
  });
});
