import { describe, expect, it } from 'vitest';
import { equivalentCommand, secretVariables, shellQuote } from '../../src/core/command-line.js';
import { maskSpec, parseAccountSpec, parseChannelSpec, secretEnvName } from '../../src/core/specs.js';
import type { Answers } from '../../src/core/answers.js';

describe('--channel specs', () => {
  it('reads the name and defaults to an open channel with no chaincode (the backend never reads it)', () => {
    expect(parseChannelSpec('our-channel')).toEqual({
      ok: true,
      value: { name: 'our-channel', restricted: false, modelExport: false },
    });
    expect(parseChannelSpec('our-channel,chaincode=cc2')).toEqual({
      ok: true,
      value: { name: 'our-channel', restricted: false, modelExport: false, chaincode: 'cc2' },
    });
  });

  it('refuses a channel name longer than the backend stores (100)', () => {
    expect(parseChannelSpec('c'.repeat(100)).ok).toBe(true);
    expect(parseChannelSpec('c'.repeat(101))).toMatchObject({ ok: false, problem: expect.stringContaining('must be at most 100 characters (it has 101') });
  });

  it('takes the optional items in any order', () => {
    expect(parseChannelSpec('c,chaincode=cc2,model-export,restricted')).toEqual({
      ok: true,
      value: { name: 'c', restricted: true, modelExport: true, chaincode: 'cc2' },
    });
  });

  it('names the flag, the spec and the unknown item', () => {
    expect(parseChannelSpec('c,restrict')).toEqual({
      ok: false,
      problem: '--channel "c,restrict": unknown item "restrict" (expected restricted, model-export or chaincode=NAME)',
    });
  });

  it('refuses a bad channel name and an empty item', () => {
    expect(parseChannelSpec(',restricted')).toMatchObject({ ok: false, problem: expect.stringContaining('channel name must not be empty') });
    expect(parseChannelSpec('c,,restricted')).toMatchObject({ ok: false, problem: expect.stringContaining('empty item') });
  });
});

describe('--user / --incoming / --outgoing specs', () => {
  it('reads a user with a password from the environment', () => {
    expect(parseAccountSpec('users', 'admin,channel=c,password-env=ADMIN_PW')).toEqual({
      ok: true,
      value: { name: 'admin', channel: 'c', origin: { kind: 'env', variable: 'ADMIN_PW' } },
    });
  });

  it('reads a password file reference and leaves reading it to the caller', () => {
    expect(parseAccountSpec('users', 'admin,password-file=./pw.txt,channel=c')).toEqual({
      ok: true,
      value: { name: 'admin', channel: 'c', origin: { kind: 'file', path: './pw.txt' } },
    });
  });

  it('never takes a literal secret, and says what to use instead', () => {
    const result = parseAccountSpec('users', 'admin,channel=c,password=hunter2hunter2hunter2');
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) {
      expect(result.problem).toContain('use password-env=VAR or password-file=PATH');
      expect(result.problem).toContain('never taken on the command line');
    }
    expect(parseAccountSpec('outgoing', 'bio,secret=abc')).toMatchObject({ ok: false, problem: expect.stringContaining('secret-env=VAR') });
  });

  it('masks a literal secret whatever the case of its key, and never echoes it in the problem', () => {
    for (const spec of [
      'admin,channel=c,Password=Hunter2-Hunter2-Hunter2',
      'admin,channel=c,PASSWORD=Hunter2-Hunter2-Hunter2',
      'admin,channel=c,Secret=Hunter2-Hunter2-Hunter2',
      'admin,channel=c,pw=Hunter2-Hunter2-Hunter2',
      'admin,channel=c,Hunter2-Hunter2-Hunter2',
      'admin,channel=c,password-env=Hunter2-Hunter2-Hunter2',
      'password=Hunter2-Hunter2-Hunter2,channel=c',
    ]) {
      const result = parseAccountSpec('users', spec);
      expect(result.ok, spec).toBe(false);
      if (!result.ok) expect(result.problem, spec).not.toContain('Hunter2');
    }
    const upper = parseAccountSpec('users', 'admin,channel=c,Password=Hunter2-Hunter2-Hunter2');
    expect(upper).toMatchObject({ ok: false, problem: expect.stringContaining('never taken on the command line') });
    expect(maskSpec('bob,channel=c,PassWord=x1,password-env=BOB_PW,password-file=./pw')).toBe('bob,channel=c,PassWord=***,password-env=BOB_PW,password-file=./pw');
  });

  it('uses the only channel when a user spec has none, and asks for one when there are several', () => {
    expect(parseAccountSpec('users', 'admin', 'only')).toMatchObject({ ok: true, value: { channel: 'only' } });
    expect(parseAccountSpec('users', 'admin')).toMatchObject({ ok: false, problem: expect.stringContaining('missing channel=CHANNEL') });
  });

  it('refuses both an env and a file reference', () => {
    expect(parseAccountSpec('incoming', 'bio,secret-env=A,secret-file=b')).toMatchObject({
      ok: false,
      problem: expect.stringContaining('not both'),
    });
  });

  it('refuses a channel on a link entry, saying it would become the password', () => {
    for (const kind of ['incoming', 'outgoing'] as const) {
      expect(parseAccountSpec(kind, 'bio,channel=c,secret-env=X')).toEqual({
        ok: false,
        problem: `${kind === 'incoming' ? '--incoming' : '--outgoing'} "bio,channel=c,secret-env=X": a link entry names no channel: the backend reads the last word of its line as the secret, so a channel would become the password and every call would be refused; drop channel=`,
      });
    }
    // One channel in the run: a user gets it, a link entry does not.
    expect(parseAccountSpec('users', 'ann', 'c')).toEqual({ ok: true, value: { name: 'ann', channel: 'c' } });
    expect(parseAccountSpec('incoming', 'bio', 'c')).toEqual({ ok: true, value: { name: 'bio' } });
  });

  it('refuses the names of the backend\'s virtual users', () => {
    for (const name of ['external', 'deleted']) {
      expect(parseAccountSpec('users', `${name},channel=c`)).toMatchObject({ ok: false, problem: expect.stringContaining(`"${name}" is reserved`) });
    }
  });

  it('refuses a user name the backend would refuse', () => {
    expect(parseAccountSpec('users', 'ad min,channel=c')).toMatchObject({ ok: false, problem: expect.stringContaining('whitespace') });
    expect(parseAccountSpec('users', 'ad#min,channel=c')).toMatchObject({ ok: false, problem: expect.stringContaining('@ . + - _') });
  });
});

describe('the equivalent non-interactive command', () => {
  const answers: Answers = {
    organization: 'ingen', mspId: 'IngenMSP', hostDomain: 'cluster-1.example.com', subdomain: 'api', ingress: true,
    hostname: 'api.cluster-1.example.com', defaultDomain: 'https://api.cluster-1.example.com:443', allowedHosts: ['.cluster-1.example.com'],
    orchestratorHost: 'orchestrator.example.com', orchestratorPort: 443, sameCluster: false,
    channels: [{ name: 'our-channel', restricted: false, modelExport: true }],
    tls: true, caCertName: 'orchestrator-cacert', mtls: false, clientCertSecret: 'orchestrator-client-cert',
    users: [{ name: 'admin', channel: 'our-channel', secret: 'typed-Secret-value-1234', origin: { kind: 'prompt' } }],
    incoming: [], outgoing: [{ name: 'bio', secret: 'S3cr3t-from-file-value', origin: { kind: 'file', path: 'bio secret.txt' } }],
  };

  it('refers to secrets by environment variable or file, never by value', () => {
    const { command, environment } = equivalentCommand(answers, 'backend-values.yaml');
    expect(command).toBe(
      "substra-deploy init --non-interactive --organization ingen --msp-id IngenMSP --host-domain cluster-1.example.com " +
        '--orchestrator-host orchestrator.example.com --orchestrator-tls --channel our-channel,model-export ' +
        "--user admin,channel=our-channel,password-env=SUBSTRA_PASSWORD_ADMIN --outgoing 'bio,secret-file=bio secret.txt' --output backend-values.yaml",
    );
    expect(command).not.toContain('typed-Secret-value-1234');
    expect(command).not.toContain('S3cr3t-from-file-value');
    expect(environment).toEqual([{ variable: 'SUBSTRA_PASSWORD_ADMIN', holds: 'the password of user admin' }]);
  });

  it('quotes only what a shell would split', () => {
    expect(shellQuote('plain-value')).toBe('plain-value');
    expect(shellQuote("it's here")).toBe("'it'\\''s here'");
  });

  it('makes environment variable names from account names, spelling out what is not a letter or digit', () => {
    expect(secretEnvName('users', 'admin')).toBe('SUBSTRA_PASSWORD_ADMIN');
    expect(secretEnvName('users', 'marie.curie')).toBe('SUBSTRA_PASSWORD_MARIE_DOT_CURIE');
    expect(secretEnvName('users', 'marie_curie')).toBe('SUBSTRA_PASSWORD_MARIE_CURIE');
    expect(secretEnvName('incoming', 'BioMSP')).toBe('SUBSTRA_INCOMING_SECRET_BIOMSP');
    expect(secretEnvName('users', 'josé')).toBe('SUBSTRA_PASSWORD_JOS_U00E9_');
  });

  it('gives every account its own variable: punctuation, non-ASCII names, letter case and variables in use', () => {
    const names = ['a.b', 'a_b', 'a-b', 'a@b', 'a+b', 'José', 'josé', 'Jose', 'jose', 'Ωmega', 'Σigma', '用户', '管理员', 'ADMIN', 'admin', 'admin_2'];
    const withNames: Answers = {
      ...answers,
      users: [
        ...names.map((name) => ({ name, channel: 'our-channel', secret: 'x', origin: { kind: 'prompt' as const } })),
        { name: 'carol', channel: 'our-channel', secret: 'y', origin: { kind: 'env', variable: 'SUBSTRA_PASSWORD_BOB' } },
        { name: 'bob', channel: 'our-channel', secret: 'z', origin: { kind: 'generated' } },
      ],
    };
    const variables = secretVariables(withNames);
    const assigned = withNames.users.filter((u) => u.origin?.kind !== 'env').map((u) => variables.get(u));
    expect(assigned.every((v) => v !== undefined && /^[A-Z_][A-Z0-9_]*$/.test(v))).toBe(true);
    expect(new Set([...assigned, 'SUBSTRA_PASSWORD_BOB']).size).toBe(assigned.length + 1);
    // the all-lowercase name keeps the plain variable; the other spelling gets a number
    expect(variables.get(withNames.users[names.indexOf('admin')]!)).toBe('SUBSTRA_PASSWORD_ADMIN');
    expect(variables.get(withNames.users[names.indexOf('admin_2')]!)).toBe('SUBSTRA_PASSWORD_ADMIN_2');
    expect(variables.get(withNames.users[names.indexOf('ADMIN')]!)).toBe('SUBSTRA_PASSWORD_ADMIN_3');
    const { environment } = equivalentCommand(withNames, 'v.yaml');
    expect(new Set(environment.map((e) => e.variable)).size).toBe(environment.length);
  });

  it('keeps --secrets-mode, --accounts-secret, --credentials and --yaml-schema', () => {
    const { command } = equivalentCommand(answers, 'v.yaml', {
      secretsMode: 'secret',
      accountsSecret: 'ingen-accounts',
      credentials: 'secrets/v.credentials.yaml',
      yamlSchema: './substra-backend.schema.json',
      chartVersion: '26.12.0',
    });
    expect(command).toContain(' --secrets-mode secret --accounts-secret ingen-accounts --credentials secrets/v.credentials.yaml');
    expect(command).toContain(' --yaml-schema ./substra-backend.schema.json --chart-version 26.12.0 --output v.yaml');
  });
});
