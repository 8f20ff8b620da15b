import { chmodSync, copyFileSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { GUIDE_ENV, GUIDE_FLAGS, runCli, tempDir } from '../helpers/cli.js';
import { Cancelled } from '../../src/core/errors.js';
import { runMain, scriptedPrompter } from '../helpers/in-process.js';

const userNames = (file: string): string[] => parse(readFileSync(file, 'utf8')).addAccountOperator.users.map((u: { name: string }) => u.name);

/** The edit menu of the guide's file left as it is: every account kept, none added. */
const keepEverything = (): Array<[string, unknown]> => [
  ['backend-values.yaml holds these settings', 'done'],
  ['Add a channel', false],
  ['Keep these users', ['admin']],
  ['Keep these incoming', ['biotechnica']],
  ['Keep these outgoing', ['biotechnica']],
  ['Add an incoming', false],
  ['Add an outgoing', false],
];

describe('no update lost', () => {
  it('two runs adding a user each to one file at the same time: every run that says it succeeded is in the file', async () => {
    const dir = tempDir();
    expect((await runMain(GUIDE_FLAGS, { cwd: dir, env: GUIDE_ENV })).code).toBe(0);
    for (let round = 0; round < 3; round += 1) {
      const names = [`first${round}`, `second${round}`];
      const runs = await Promise.all(
        names.map((name) => runCli(['init', '--values', 'backend-values.yaml', '--user', `${name},channel=our-channel`, '--generate-passwords'], { cwd: dir, timeoutMs: 40_000 })),
      );
      const inFile = userNames(path.join(dir, 'backend-values.yaml'));
      runs.forEach((r, i) => {
        if (r.code === 0) expect(inFile, `round ${round}: ${names[i]} said it was written`).toContain(names[i]);
        else expect(r.stderr).toMatch(/is being edited by another substra-deploy run|changed on disk since this run read it/);
      });
      expect(runs.some((r) => r.code === 0)).toBe(true);
    }
    expect(readdirSync(dir).filter((f) => f.endsWith('.lock') || f.endsWith('.tmp'))).toEqual([]);
  });

  it('a file changed on disk while the run was asking: refused, the other change kept', async () => {
    const dir = tempDir();
    expect((await runMain(GUIDE_FLAGS, { cwd: dir, env: GUIDE_ENV })).code).toBe(0);
    const file = path.join(dir, 'backend-values.yaml');
    const theirs = `${readFileSync(file, 'utf8')}# added in an editor meanwhile\n`;
    const prompter = scriptedPrompter([
      ...keepEverything(),
      ['Write backend-values.yaml?', () => (writeFileSync(file, theirs), true)],
    ]);
    const r = await runMain(['init', '--values', 'backend-values.yaml', '--user', 'bob,channel=our-channel', '--generate-passwords'], { cwd: dir, tty: true, prompter });
    expect(r.stderr).toContain('backend-values.yaml changed on disk since this run read it (another program or run wrote it); nothing was written: run the command again');
    expect(r.code).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe(theirs);
  });

  it('link over several files writes all or none: one that cannot be written leaves every file as it was', async () => {
    const dir = tempDir();
    const long = `${'o'.repeat(240)}.yaml`;
    for (const org of ['ingen', 'bio', 'long']) {
      const r = await runMain(
        ['init', '--organization', org, '--host-domain', `${org}.example.com`, '--orchestrator-host', 'orch.example.com', '--channel', 'shared',
          '--user', 'admin,channel=shared', '--generate-passwords', '-o', `${org}.yaml`],
        { cwd: dir },
      );
      expect(r.code).toBe(0);
    }
    // Its temporary's name would be past the 255 bytes a file name may have: it cannot be prepared.
    copyFileSync(path.join(dir, 'long.yaml'), path.join(dir, long));
    const before = new Map(['ingen.yaml', 'bio.yaml', long].map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
    const r = await runMain(['link', 'ingen.yaml', 'bio.yaml', long], { cwd: dir });
    expect(r.stderr).toMatch(/could not write o+\.yaml: .*; nothing was written/);
    expect(r.code).toBe(1);
    for (const [file, text] of before) expect(readFileSync(path.join(dir, file), 'utf8'), file).toBe(text);
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});

describe('network keeps every file it writes inside --output-dir, one organization per file', () => {
  const spec = (organizations: string) => `orchestrator: {host: orchestrator.example.com}
channels:
  - {name: shared, members: [ingen, bio]}
organizations:
${organizations}`;

  const refused = async (organizations: string): Promise<string> => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'out'));
    writeFileSync(path.join(dir, 'network.yaml'), spec(organizations));
    const r = await runMain(['network', 'network.yaml', '--output-dir', 'out'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(readdirSync(path.join(dir, 'out'))).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(['network.yaml', 'out']);
    return r.stderr;
  };

  it('refuses two organizations that map to one file', async () => {
    const stderr = await refused('  - {name: ingen, domain: ingen.example.com, file: same.yaml}\n  - {name: bio, domain: bio.example.com, file: same.yaml}\n');
    expect(stderr).toContain('network.yaml: organizations[1].file: bio would write same.yaml, already the file of organization ingen: give each organization its own file');
  });

  it("refuses, in secrets mode, an organization whose file is another's credentials file", async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'out'));
    writeFileSync(
      path.join(dir, 'network.yaml'),
      `secretsMode: secret\n${spec('  - {name: ingen, domain: ingen.example.com, file: x.yaml}\n  - {name: bio, domain: bio.example.com, file: x.credentials.yaml}\n')}`,
    );
    const r = await runMain(['network', 'network.yaml', '--output-dir', 'out'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('network.yaml: organizations[1].file: bio would write x.credentials.yaml, already the file of the credentials of organization ingen');
    expect(readdirSync(path.join(dir, 'out'))).toEqual([]);
  });

  it("refuses an organization whose file is the orchestrator's", async () => {
    const stderr = await refused('  - {name: ingen, domain: ingen.example.com, file: orchestrator-values.yaml}\n  - {name: bio, domain: bio.example.com}\n');
    expect(stderr).toContain('network.yaml: organizations[0].file: ingen would write orchestrator-values.yaml, already the file of the orchestrator values');
  });

  it('refuses a file outside --output-dir, relative or absolute', async () => {
    expect(await refused('  - {name: ingen, domain: ingen.example.com, file: ../x.yaml}\n  - {name: bio, domain: bio.example.com}\n')).toContain(
      'network.yaml: organizations[0].file: "../x.yaml" is outside --output-dir out: give a file name inside it',
    );
    expect(await refused('  - {name: ingen, domain: ingen.example.com, file: /tmp/x.yaml}\n  - {name: bio, domain: bio.example.com}\n')).toContain(
      'network.yaml: organizations[0].file: "/tmp/x.yaml" is outside --output-dir out',
    );
  });
});

describe('the file is the operator\'s', () => {
  it('an edit keeps its mode (with the chmod to run), a BOM, CRLF line ends, and writes through a symbolic link', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'real'));
    expect((await runMain([...GUIDE_FLAGS, '-o', 'real/values.yaml'], { cwd: dir, env: GUIDE_ENV })).code).toBe(0);
    const real = path.join(dir, 'real', 'values.yaml');
    writeFileSync(real, `\ufeff${readFileSync(real, 'utf8').replace(/\n/g, '\r\n')}`);
    chmodSync(real, 0o640);
    symlinkSync('real/values.yaml', path.join(dir, 'link.yaml'));
    const r = await runMain(['init', '--values', 'link.yaml', '--user', 'bob,channel=our-channel', '--generate-passwords'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('link.yaml holds secrets and others may read it (mode 0640); its mode was kept: run chmod 600 link.yaml');
    expect(lstatSync(path.join(dir, 'link.yaml')).isSymbolicLink()).toBe(true);
    expect(statSync(real).mode & 0o777).toBe(0o640);
    const text = readFileSync(real, 'utf8');
    expect(text.startsWith('\ufeff')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(userNames(real)).toEqual(['admin', 'bob']);
    expect(readdirSync(path.join(dir, 'real'))).toEqual(['values.yaml']);
  });
});

describe('after an interruption', () => {
  it('Ctrl-C at the deploy question, after the file was written, says it was written (exit 130)', async () => {
    const dir = tempDir();
    expect((await runMain(GUIDE_FLAGS, { cwd: dir, env: GUIDE_ENV })).code).toBe(0);
    const prompter = scriptedPrompter([
      ...keepEverything(),
      ['Write backend-values.yaml?', true],
      ['The generated secret is only in', 'commands'],
      ['Deploy it to the cluster now', new Cancelled()],
    ]);
    const r = await runMain(['init', '--values', 'backend-values.yaml', '--user', 'bob,channel=our-channel', '--generate-passwords'], { cwd: dir, tty: true, prompter });
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('cancelled: backend-values.yaml was written before the interruption; nothing else was');
    expect(userNames(path.join(dir, 'backend-values.yaml'))).toEqual(['admin', 'bob']);
  });

  it('Ctrl-C before writing says nothing was written', async () => {
    const dir = tempDir();
    expect((await runMain(GUIDE_FLAGS, { cwd: dir, env: GUIDE_ENV })).code).toBe(0);
    const prompter = scriptedPrompter([
      ...keepEverything(),
      ['Write backend-values.yaml?', new Cancelled()],
    ]);
    const r = await runMain(['init', '--values', 'backend-values.yaml', '--user', 'bob,channel=our-channel', '--generate-passwords'], { cwd: dir, tty: true, prompter });
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('cancelled: nothing was written');
    expect(userNames(path.join(dir, 'backend-values.yaml'))).toEqual(['admin']);
    expect(readdirSync(dir)).toEqual(['backend-values.yaml']);
  });
});
