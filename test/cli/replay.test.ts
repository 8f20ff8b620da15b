import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { GUIDE_ENV, GUIDE_FLAGS, tempDir } from '../helpers/cli.js';
import { runMain } from '../helpers/in-process.js';

/** Splits a command printed with shellQuote (bare words or '…' with '\'' escapes). */
function shellWords(command: string): string[] {
  const words: string[] = [];
  const pattern = /'((?:[^']|'\\'')*)'|(\S+)/g;
  for (const match of command.matchAll(pattern)) words.push(match[1] !== undefined ? match[1].replace(/'\\''/g, "'") : (match[2] as string));
  return words;
}

describe('the equivalent command printed for CI', () => {
  it('writes the same files again: secrets mode, accounts Secret, schema line, and one variable per account', async () => {
    const first = tempDir();
    writeFileSync(path.join(first, 'schema.json'), '{}');
    const r = await runMain(
      [
        ...GUIDE_FLAGS,
        '--user', 'a.b,channel=our-channel', '--user', 'a_b,channel=our-channel', '--generate-passwords',
        '--secrets-mode', 'secret', '--accounts-secret', 'ingen-accounts', '--yaml-schema', './schema.json', '--json',
      ],
      { cwd: first, env: GUIDE_ENV },
    );
    expect(r.stderr).toContain('wrote');
    expect(r.code).toBe(0);
    const { command, environment } = JSON.parse(r.stdout).equivalentCommand as { command: string; environment: Array<{ variable: string; holds: string }> };
    expect(command).toContain('--secrets-mode secret');
    expect(command).toContain('--accounts-secret ingen-accounts');
    expect(command).toContain('--yaml-schema ./schema.json');
    const variables = environment.map((e) => e.variable);
    expect(new Set(variables).size).toBe(variables.length);

    // Every variable set to the secret it stands for, read from the files the first run wrote.
    const credentials = parse(readFileSync(path.join(first, 'backend-values.credentials.yaml'), 'utf8')).addAccountOperator;
    const secretOf = (holds: string): string => {
      const user = /^the password of user (.+)$/.exec(holds)?.[1];
      if (user) return credentials.users.find((u: { name: string }) => u.name === user).secret;
      const [, kind, name] = /^the (incoming|outgoing) secret for (.+)$/.exec(holds) as RegExpExecArray;
      return credentials[`${kind}Organizations`].find((o: { name: string }) => o.name === name).secret;
    };
    const env = Object.fromEntries(environment.map((e) => [e.variable, secretOf(e.holds)]));
    expect(env.ADMIN_PASSWORD).toBe(GUIDE_ENV.ADMIN_PASSWORD);

    const second = tempDir();
    writeFileSync(path.join(second, 'schema.json'), '{}');
    const [program, ...args] = shellWords(command);
    expect(program).toBe('substra-deploy');
    const replay = await runMain(args, { cwd: second, env });
    expect(replay.stderr).toContain('wrote');
    expect(replay.code).toBe(0);
    for (const file of ['backend-values.yaml', 'backend-values.credentials.yaml']) {
      expect(readFileSync(path.join(second, file), 'utf8'), file).toBe(readFileSync(path.join(first, file), 'utf8'));
    }
  });
});
