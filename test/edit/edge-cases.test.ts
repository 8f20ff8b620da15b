import { chmodSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { runMain } from '../helpers/in-process.js';

/**
 * Edge cases of editing an operator's values file (init --values) and checking one (validate):
 * what the tool does not understand it keeps and names, what it was not asked to change does
 * not move, and no secret reaches its output.
 */

const ADMIN = 'Kx7pQ2mVn9wRt4bYz6cLh3';

/** A valid file, written the way people write them (modelled on the substra-backend examples). */
const BASE = `# Backend values for ingen
settings: prod

organizationName: ingen   # our org

config:
  ALLOWED_HOSTS: '[".cluster-1.example.com"]'

server:
  defaultDomain: https://api.cluster-1.example.com:443
  commonHostDomain: cluster-1.example.com
  ingress:
    enabled: true
    hostname: api.cluster-1.example.com
    extraTls:
      - hosts: [api.cluster-1.example.com]
        secretName: api-tls

orchestrator:
  host: orchestrator.cluster-1.example.com
  port: 443
  mspID: ingen
  sameCluster: false
  channels:
    - our-channel:
        restricted: false
        model_export_enabled: true
  tls:
    enabled: true
    cacert: orchestrator-cacert
    mtls:
      enabled: false

addAccountOperator:
  users:
    - name: admin
      secret: ${ADMIN}
      channel: our-channel
  incomingOrganizations:
    - name: biotechnica
      secret: Zq3wX7eR9tY2uI5oP8aS1dF
  outgoingOrganizations:
    - name: biotechnica
      secret: Hj6kL9zX2cV5bN8mQ1wE4rT
`;

const env = { PATH: process.env.PATH, HOME: process.env.HOME, NEW_PASSWORD: 'Nq5vB8xZ3mK6pL9wR2tY7uI' };

/** Writes `text` as v.yaml in a new folder; `run` runs the CLI there. */
function scene(text: string) {
  const dir = tempDir('edge-');
  const file = path.join(dir, 'v.yaml');
  writeFileSync(file, text, { mode: 0o600 });
  return {
    dir,
    file,
    read: () => readFileSync(file, 'utf8'),
    run: (...args: string[]) => runMain(args, { cwd: dir, env }),
    edit: (...args: string[]) => runMain(['init', '--values', 'v.yaml', '--non-interactive', ...args], { cwd: dir, env }),
  };
}

describe('entries the tool cannot read are kept and named, never dropped', () => {
  it('a user that is not a map, and one whose name is a number: refused with their paths, the file as it was', async () => {
    const text = BASE.replace(
      '      channel: our-channel\n  incoming',
      `      channel: our-channel\n    - admin2\n    - name: 42\n      secret: Wm4nTq8rVb2xPz6kLc9dHj\n      channel: our-channel\n  incoming`,
    );
    const s = scene(text);
    const r = await s.edit();
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('addAccountOperator.users[1]: must be a map');
    expect(r.stderr).toContain('addAccountOperator.users[2].name: must be a user name');
    expect(s.read()).toBe(text);
    // Adding a user does not drop them either.
    const added = await s.edit('--user', 'bob,channel=our-channel,password-env=NEW_PASSWORD');
    expect(added.code, added.stderr).toBe(1);
    expect(s.read()).toBe(text);
  });

  it('moving the accounts to a credentials file (--secrets-mode secret) does not leave such an entry behind', async () => {
    const text = BASE.replace('      channel: our-channel\n  incoming', '      channel: our-channel\n    - admin2\n  incoming');
    const s = scene(text);
    const r = await s.edit('--secrets-mode', 'secret');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('addAccountOperator.users[1]: has no name substra-deploy can read');
    expect(s.read()).toBe(text);
    expect(() => readFileSync(path.join(s.dir, 'v.credentials.yaml'))).toThrow();
  });

  it('a channel written as a plain name: refused with its path, not deleted', async () => {
    const text = BASE.replace('        model_export_enabled: true\n', '        model_export_enabled: true\n    - other-channel\n');
    const s = scene(text);
    const r = await s.edit();
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('orchestrator.channels[1]: must be a one-key map');
    expect(s.read()).toBe(text);
  });
});

describe('line ends are the file\'s own', () => {
  it('a file mixing CRLF and LF lines: adding a user changes no other line end', async () => {
    const lines = BASE.split('\n');
    // The first five lines end in CRLF (pasted from a Windows editor), the rest in LF.
    const text = lines.map((line, i) => (i < 5 ? `${line}\r` : line)).join('\n');
    const s = scene(text);
    const r = await s.edit('--user', 'bob,channel=our-channel,password-env=NEW_PASSWORD');
    expect(r.code, r.stderr).toBe(0);
    const after = s.read();
    expect(after.split('\n').filter((l) => l.endsWith('\r'))).toHaveLength(5);
    expect(after.replace('    - name: bob\n      secret: Nq5vB8xZ3mK6pL9wR2tY7uI\n      channel: our-channel\n', '')).toBe(text);
  });

  it('a file with old Mac line ends (CR only) is read as helm reads it, and an edit keeps them', async () => {
    const text = BASE.replace(/\n/g, '\r');
    const s = scene(text);
    const checked = await s.run('validate', 'v.yaml');
    expect(checked.code, checked.stderr).toBe(0);
    const noop = await s.edit();
    expect(noop.code, noop.stderr).toBe(0);
    expect(s.read()).toBe(text);
    const r = await s.edit('--orchestrator-port', '8443');
    expect(r.code, r.stderr).toBe(0);
    expect(s.read()).toBe(text.replace('port: 443', 'port: 8443'));
  });
});

describe('a no-op edit leaves the file byte for byte', () => {
  it('a port written as a string ("443", which the chart and validate accept) stays a string', async () => {
    const text = BASE.replace('port: 443', 'port: "443"');
    const s = scene(text);
    const r = await s.edit();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('already says all of this; nothing to write');
    expect(s.read()).toBe(text);
    // The same port given as a flag is no change either.
    expect((await s.edit('--orchestrator-port', '443')).code).toBe(0);
    expect(s.read()).toBe(text);
  });
});

describe('what a write says', () => {
  it('a file with secrets that others may read: said once, and in --json', async () => {
    const s = scene(BASE);
    chmodSync(s.file, 0o644);
    const r = await s.edit('--organization', 'tessier');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.includes('others may read it'));
    expect(lines).toEqual(['warning: v.yaml holds secrets and others may read it (mode 0644); its mode was kept: run chmod 600 v.yaml']);
    const json = await s.edit('--organization', 'ingen', '--json');
    expect(JSON.parse(json.stdout).warnings).toContainEqual({ path: 'v.yaml', message: 'v.yaml holds secrets and others may read it (mode 0644); its mode was kept: run chmod 600 v.yaml' });
  });
});

describe('no password in any output, also from a file that does not parse', () => {
  const broken: Record<string, (pw: string) => string> = {
    'a password in a block scalar with a tab-indented line': (pw) => `      secret: >\n\t${pw}\n`,
    'a password under its key on the next line, with a syntax error there': (pw) => `      secret:\n        ${pw}: [\n`,
    'a password starting with | (read as a block scalar header)': (pw) => `      secret: |${pw}\n`,
    'a password starting with > (read as a block scalar header)': (pw) => `      secret: >${pw}\n`,
    'a password starting with * (read as an alias)': (pw) => `      secret: *${pw}\n`,
  };
  it.each(Object.entries(broken))('%s: exit 2, the place named, the password masked (text, --json, init)', async (_, line) => {
    const s = scene(BASE.replace(`      secret: ${ADMIN}\n`, line(ADMIN)));
    for (const args of [['validate', 'v.yaml'], ['validate', 'v.yaml', '--json'], ['init', '--values', 'v.yaml', '--non-interactive', '--json']]) {
      const r = await s.run(...args);
      expect(r.code, r.stderr).toBe(2);
      expect(`${r.stdout}${r.stderr}`).toMatch(/v\.yaml:3[78]:\d+: YAML/);
      expect(`${r.stdout}${r.stderr}`).not.toContain(ADMIN.slice(4));
    }
  });
});

describe('the dry run shows the file with every secret masked', () => {
  it('a password held by an anchor elsewhere (secret: *adminpw) and a password the tool does not manage', async () => {
    const text = BASE.replace('addAccountOperator:\n', 'x-secrets:\n  admin: &adminpw ' + ADMIN + '\naddAccountOperator:\n')
      .replace(`secret: ${ADMIN}`, 'secret: *adminpw') + 'postgresql:\n  auth:\n    password: &pg "pg-Password-9x"\n    postgresPassword: *pg\n';
    const s = scene(text);
    const r = await s.edit('--organization', 'tessier', '--dry-run');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('organizationName: tessier');
    expect(r.stderr).toContain('secret: *adminpw');
    for (const secret of [ADMIN, 'pg-Password-9x', 'Zq3wX7eR9tY2uI5oP8aS1dF']) expect(r.stdout + r.stderr).not.toContain(secret);
    expect(s.read()).toBe(text);
  });
});

describe('a required setting the file holds in a form the tool cannot use is named as invalid, not missing', () => {
  it('organizationName as a number, channels as a map: exit 1 with what validate says, the file as it was', async () => {
    const text = BASE.replace('organizationName: ingen', 'organizationName: 123').replace(
      '    - our-channel:\n        restricted: false\n        model_export_enabled: true\n',
      '    our-channel:\n      restricted: false\n      model_export_enabled: true\n',
    );
    const s = scene(text);
    const r = await s.edit();
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('organizationName: must be an organization name (it is a number; quote it)');
    expect(r.stderr).toContain('orchestrator.channels: must be a list');
    expect(r.stderr).not.toContain('missing --organization');
    expect(s.read()).toBe(text);
    // A flag still replaces it.
    const fixed = await s.edit('--organization', 'ingen', '--channel', 'our-channel,model-export', '--user', 'admin,channel=our-channel');
    expect(fixed.stderr).not.toContain('organizationName:');
  });
});

describe('an account of the file without its secret', () => {
  it('is named as the file\'s, with the ways to give it (not as a --user spec the operator never wrote)', async () => {
    const text = BASE.replace('      channel: our-channel\n  incoming', '      channel: our-channel\n    - name: bob\n      channel: our-channel\n  incoming');
    const s = scene(text);
    const r = await s.edit();
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      'user bob in v.yaml has no password: add it there, or give --user bob,channel=CHANNEL,password-env=VAR (or password-file=PATH), or --generate-passwords',
    );
    expect(s.read()).toBe(text);
  });
});

describe('a --values path that is not a file', () => {
  it('a folder, a loop of symbolic links: exit 2 naming --values and the path as given', async () => {
    const s = scene(BASE);
    mkdirSync(path.join(s.dir, 'folder'));
    symlinkSync('loop-b', path.join(s.dir, 'loop-a'));
    symlinkSync('loop-a', path.join(s.dir, 'loop-b'));
    const folder = await s.run('init', '--values', 'folder', '--non-interactive', '--json');
    expect(folder.code).toBe(2);
    expect(JSON.parse(folder.stdout).errors[0].message).toMatch(/^--values folder: is a directory/);
    const loop = await s.run('init', '--values', 'loop-a', '--non-interactive');
    expect(loop.code, loop.stderr).toBe(2);
    expect(loop.stderr).toContain('--values loop-a: too many levels of symbolic links');
    expect(readdirSync(s.dir).sort()).toEqual(['folder', 'loop-a', 'loop-b', 'v.yaml']);
  });
});

describe('odd Unicode a value may carry from a copy and paste', () => {
  it('an invisible character is named by its code point and place, since the text looks right', async () => {
    const text = BASE.replace('host: orchestrator.cluster-1.example.com', 'host: "orchestrator.cluster-1.example.com\u200f"')
      .replace('- name: admin', '- name: "ad\u200bmin"');
    const s = scene(text);
    const r = await s.run('validate', 'v.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('orchestrator.host: holds the invisible character U+200F at character 35; remove it');
    expect(r.stderr).toContain('addAccountOperator.users[0].name: must not contain spaces or other whitespace (the chart splits on them): it holds the invisible U+200B at character 3; remove it');
  });
});
