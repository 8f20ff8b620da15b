import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseEnv, GUIDE_ENV, GUIDE_FLAGS, runCli, tempDir } from '../helpers/cli.js';
import { runMain } from '../helpers/in-process.js';
import { Terminal, KEY } from '../helpers/pty.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[\d+(;\d+)*m/;
const COMMANDS = ['init', 'validate', 'deploy', 'verify', 'link', 'network', 'frontend', 'schema', 'completion'];

// In-process (main() with its streams), but for the built bin's own check: what is written
// and the exit code are main()'s; the colour tests below need a real pipe and terminal.
describe('help', () => {
  it.each(COMMANDS)('%s --help has examples and goes to stdout with exit 0', async (command) => {
    const r = await runMain([command, '--help'], { cwd: tempDir() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain(`$ substra-deploy ${command}`);
  });

  it('the built bin prints it too', async () => {
    const r = await runCli(['init', '--help'], { cwd: tempDir() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('$ substra-deploy init');
  });
});

describe('colour', () => {
  const failing = ['validate', 'missing.yaml'];

  it('is off in a pipe, and on there with FORCE_COLOR=1', async () => {
    expect((await runCli(failing, { cwd: tempDir() })).stderr).not.toMatch(ANSI);
    expect((await runCli(failing, { cwd: tempDir(), env: baseEnv({ FORCE_COLOR: '1' }) })).stderr).toMatch(ANSI);
  });

  it('is on in a terminal, and off there with NO_COLOR or --no-color', async () => {
    const inTerminal = async (args: string[], env: Record<string, string> = {}) => {
      const t = new Terminal(args, tempDir(), env);
      await t.exited;
      return t;
    };
    const raw = (t: Terminal) => (t as unknown as { raw: string }).raw;
    expect(raw(await inTerminal(failing))).toMatch(ANSI);
    expect(raw(await inTerminal(failing, { NO_COLOR: '1' }))).not.toMatch(ANSI);
    expect(raw(await inTerminal([...failing, '--no-color']))).not.toMatch(ANSI);
    void KEY;
  });
});

describe('schema', () => {
  it('prints a JSON Schema of the managed values, with the shapes the chart needs', async () => {
    const r = await runMain(['schema'], { cwd: tempDir() });
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const orchestrator = schema.properties.orchestrator;
    expect(orchestrator.additionalProperties).toBe(false);
    expect(orchestrator.properties.channels).toMatchObject({ type: 'array', minItems: 1 });
    expect(orchestrator.properties.port).toMatchObject({ type: 'integer', minimum: 1, maximum: 65535 });
    expect(schema.properties.config.properties.ALLOWED_HOSTS.type).toBe('string');
  });

  it('init --yaml-schema points editors at it on the first line, once', async () => {
    const dir = tempDir();
    expect((await runMain(['schema', '-o', 'values.schema.json'], { cwd: dir })).code).toBe(0);
    await runMain([...GUIDE_FLAGS, '--yaml-schema', './values.schema.json'], { cwd: dir, env: baseEnv(GUIDE_ENV) });
    await runMain(['init', '--values', 'backend-values.yaml', '--yaml-schema', './values.schema.json'], { cwd: dir, env: baseEnv() });
    const text = readFileSync(path.join(dir, 'backend-values.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./values.schema.json');
    expect(text.match(/yaml-language-server/g)).toHaveLength(1);
  });
});

describe('schema --output', () => {
  it('never writes over a file it did not write (a values file named by mistake) unless --force, and rewrites its own schema', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'backend-values.yaml'), 'organizationName: ingen\n');
    const refused = await runMain(['schema', '-o', 'backend-values.yaml'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--output backend-values.yaml already exists and is not a schema written by substra-deploy; add --force to replace it');
    expect(readFileSync(path.join(dir, 'backend-values.yaml'), 'utf8')).toBe('organizationName: ingen\n');
    expect((await runMain(['schema', '-o', 'backend-values.yaml', '--force'], { cwd: dir })).code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'backend-values.yaml'), 'utf8')).$schema).toBeDefined();
    expect((await runMain(['schema', '-o', 'backend-values.yaml', '--chart-version', '26.8.0'], { cwd: dir })).code).toBe(0);
  });
});

describe('completion', () => {
  const complete = (script: string, words: string[]) => {
    const file = path.join(tempDir(), 'completion.bash');
    writeFileSync(file, script);
    const line = `source ${file}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _substra_deploy; echo "\${COMPREPLY[@]}"`;
    return spawnSync('bash', ['-c', line], { encoding: 'utf8' }).stdout.trim();
  };

  it('bash completes commands, their flags and flag choices', async () => {
    const script = (await runMain(['completion', 'bash'], { cwd: tempDir() })).stdout;
    expect(complete(script, ['substra-deploy', 'va'])).toBe('validate');
    expect(complete(script, ['substra-deploy', 'init', '--orchestrator-t'])).toBe('--orchestrator-tls');
    expect(complete(script, ['substra-deploy', 'init', '--secrets-mode', ''])).toBe('values secret');
    expect(complete(script, ['substra-deploy', 'completion', ''])).toBe('bash zsh fish');
  });

  it('zsh and fish scripts describe every command and flag', async () => {
    const zsh = (await runMain(['completion', 'zsh'], { cwd: tempDir() })).stdout;
    expect(zsh.startsWith('#compdef substra-deploy')).toBe(true);
    expect(zsh).toContain("'--values[edit this existing values file (comments and unmanaged keys are kept)]:value:_files'");
    expect(zsh).toContain("'--secrets-mode[");
    const fish = (await runMain(['completion', 'fish'], { cwd: tempDir() })).stdout;
    expect(fish).toContain("complete -c substra-deploy -n '__fish_use_subcommand' -a network");
    expect(fish).toContain("-n '__fish_seen_subcommand_from deploy' -l kube-context -r -F");
  });

  it('refuses an unknown shell with exit 2', async () => {
    const r = await runMain(['completion', 'tcsh'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Allowed choices are bash, zsh, fish');
  });
});
