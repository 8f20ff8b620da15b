import { describe, expect, it } from 'vitest';
import type { Answers } from '../../src/core/answers.js';
import { chartProfile } from '../../src/core/chart.js';
import { InputError } from '../../src/core/errors.js';
import {
  answersFromValues,
  applyAnswers,
  documentValues,
  linkEntryRepairs,
  maskedDocument,
  newValuesDocument,
  parseValuesDocument,
  renderDocument,
} from '../../src/core/values-doc.js';
import { expectGolden, fixture } from '../helpers/golden.js';

const profile = chartProfile();

function guideAnswers(): Answers {
  return {
    organization: 'ingen', mspId: 'ingen', hostDomain: 'cluster-1.example.com', subdomain: 'api', ingress: true,
    hostname: 'api.cluster-1.example.com', defaultDomain: 'https://api.cluster-1.example.com:443', allowedHosts: ['.cluster-1.example.com'],
    orchestratorHost: 'orchestrator.cluster-1.example.com', orchestratorPort: 443, sameCluster: false,
    channels: [{ name: 'our-channel', restricted: false, modelExport: true }],
    tls: true, caCertName: 'orchestrator-cacert', mtls: true, clientCertSecret: 'orchestrator-client-cert',
    users: [{ name: 'admin', channel: 'our-channel', secret: 'correct-Horse-battery-staple-42' }],
    incoming: [{ name: 'biotechnica', secret: 'Zq3wX7eR9tY2uI5oP8aS1dF' }],
    outgoing: [{ name: 'biotechnica', secret: 'Hj6kL9zX2cV5bN8mQ1wE4rT' }],
  };
}

/** The realistic fixture read back as answers: what init --values starts from. */
function realisticAnswers(): { doc: ReturnType<typeof parseValuesDocument>; answers: Answers } {
  const doc = parseValuesDocument(fixture('values/realistic.yaml'), 'realistic.yaml');
  const answers = { ...answersFromValues(documentValues(doc), profile) } as Answers;
  answers.caCertName ??= 'orchestrator-cacert';
  answers.clientCertSecret ??= 'orchestrator-client-cert';
  return { doc, answers };
}

describe('a new values file', () => {
  it("is laid out in the guide's order with every derived key (golden)", () => {
    const doc = newValuesDocument();
    applyAnswers(doc, guideAnswers(), profile);
    expectGolden('new-guide.yaml', renderDocument(doc));
  });

  it('writes the host settings as given: ALLOWED_HOSTS a JSON list in a string, any defaultDomain', () => {
    const doc = newValuesDocument();
    applyAnswers(doc, { ...guideAnswers(), defaultDomain: 'http://backend-server.org-1:8000', allowedHosts: ['.cluster-1.example.com', '.org-1'] }, profile);
    const v = documentValues(doc) as any;
    expect(v.config.ALLOWED_HOSTS).toBe('[".cluster-1.example.com",".org-1"]');
    expect(v.server).toMatchObject({
      defaultDomain: 'http://backend-server.org-1:8000',
      commonHostDomain: 'cluster-1.example.com',
      ingress: { enabled: true, hostname: 'api.cluster-1.example.com' },
    });
  });

  it('keeps the spelling of an ALLOWED_HOSTS list that says the same, and its spacing when it changes', () => {
    const doc = parseValuesDocument(`config:\n  ALLOWED_HOSTS: '[ ".a.test",  ".b" ]'\n`, 'f');
    const a = { ...guideAnswers(), allowedHosts: ['.a.test', '.b'] };
    applyAnswers(doc, a, profile);
    expect(renderDocument(doc)).toContain(`ALLOWED_HOSTS: '[ ".a.test",  ".b" ]'`);
    applyAnswers(doc, { ...a, allowedHosts: ['.a.test', '.b', '.c'] }, profile);
    expect(renderDocument(doc)).toContain(`ALLOWED_HOSTS: '[".a.test", ".b", ".c"]'`);
  });

  it('quotes names Helm (YAML 1.1) would read as booleans or numbers', () => {
    const doc = newValuesDocument();
    const a = guideAnswers();
    a.channels = [
      { name: 'yes', restricted: false, modelExport: false, chaincode: 'mycc' },
      { name: 'off', restricted: false, modelExport: false, chaincode: 'mycc' },
      { name: '1e3', restricted: false, modelExport: false, chaincode: 'mycc' },
    ];
    a.users = [{ name: 'on', channel: 'yes', secret: 'correct-Horse-battery-staple-42' }];
    a.organization = 'n';
    applyAnswers(doc, a, profile);
    const text = renderDocument(doc);
    expect(text).toContain('- "yes":');
    expect(text).toContain('- "off":');
    expect(text).toContain('- "1e3":');
    expect(text).toContain('name: "on"');
    expect(text).toContain('organizationName: "n"');
    // Read back the way Helm reads it: still strings.
    const back = documentValues(parseValuesDocument(text, 'x')) as any;
    expect(back.orchestrator.channels.map((c: object) => Object.keys(c)[0])).toEqual(['yes', 'off', '1e3']);
    expect(back.addAccountOperator.users[0].name).toBe('on');
  });
});

describe('editing an existing file', () => {
  it('changes nothing when the answers are what the file already says', () => {
    const { doc, answers } = realisticAnswers();
    expect(applyAnswers(doc, answers, profile)).toBe(false);
  });

  it('keeps comments, anchors, aliases, flow maps, quoting and unmanaged keys through edits (golden)', () => {
    const { doc, answers } = realisticAnswers();
    answers.orchestratorPort = 8443;
    answers.mtls = true;
    answers.users = answers.users.filter((u) => u.name !== 'admin');
    answers.users.push({ name: 'bob', channel: 'our-channel', secret: 'Vq8-new-user-Secret-77x' });
    answers.channels.push({ name: 'shared', restricted: false, modelExport: false });
    expect(applyAnswers(doc, answers, profile)).toBe(true);
    const text = renderDocument(doc);
    expectGolden('realistic-edited.yaml', text);
    for (const kept of ['# Backend values for ingen', '# the main channel', '# our org', '&channelDefaults', '*channelDefaults', '*pg', 'CUSTOM_FLAG: "on"', 'annotations: {kubernetes.io/ingress.class: nginx']) {
      expect(text).toContain(kept);
    }
    expect(text).not.toContain('name: admin');
  });

  it('repairs a link entry written the guide\'s way: drops its channel, keeps its secret, and says so', () => {
    const text = fixture('values/realistic.yaml').replace('      secret: Zq3wX7eR9tY2uI5oP8aS1dF\n', '      secret: Zq3wX7eR9tY2uI5oP8aS1dF\n      channel: our-channel # as the guide shows\n');
    const doc = parseValuesDocument(text, 'guide.yaml');
    expect(linkEntryRepairs(documentValues(doc), profile)).toEqual([
      { path: 'addAccountOperator.incomingOrganizations[0].channel', message: expect.stringContaining('the backend took "our-channel" as the secret of "biotechnica"') },
    ]);
    const answers = answersFromValues(documentValues(doc), profile) as Answers;
    answers.caCertName ??= 'orchestrator-cacert';
    answers.clientCertSecret ??= 'orchestrator-client-cert';
    expect(applyAnswers(doc, answers, profile)).toBe(true);
    const correct = parseValuesDocument(fixture('values/realistic.yaml'), 'correct.yaml');
    expect(renderDocument(doc)).toBe(renderDocument(correct));
    expect(linkEntryRepairs(documentValues(doc), profile)).toEqual([]);
  });

  it('never adds chaincode to a channel that has none, and keeps it where the file has it', () => {
    const doc = parseValuesDocument('orchestrator:\n  channels:\n    - a: {restricted: false, model_export_enabled: false}\n    - b: {restricted: false, model_export_enabled: false, chaincode: {name: cc2}}\n', 'f');
    const answers = { ...guideAnswers(), ...answersFromValues(documentValues(doc), profile) } as Answers;
    answers.channels[0]!.modelExport = true;
    answers.channels[1]!.modelExport = true;
    applyAnswers(doc, answers, profile);
    const v = documentValues(doc) as any;
    expect(v.orchestrator.channels).toEqual([
      { a: { restricted: false, model_export_enabled: true } },
      { b: { restricted: false, model_export_enabled: true, chaincode: { name: 'cc2' } } },
    ]);
  });

  it('edits a channel reached through an alias without changing the anchor it points at', () => {
    const { doc, answers } = realisticAnswers();
    answers.channels[0]!.restricted = true;
    applyAnswers(doc, answers, profile);
    const v = documentValues(doc) as any;
    expect(v['x-common'].restricted).toBe(false);
    expect(v.orchestrator.channels[0]['our-channel']).toEqual({ restricted: true, model_export_enabled: true, chaincode: { name: 'mycc' } });
  });

  it('appends to a flow-style list in flow style', () => {
    const doc = parseValuesDocument('addAccountOperator:\n  users: [{name: a, secret: x, channel: c}]\n', 'f');
    const a = { ...guideAnswers(), users: [{ name: 'a', channel: 'c', secret: 'x' }, { name: 'b', channel: 'c', secret: 'yy' }] };
    applyAnswers(doc, a, profile);
    expect(renderDocument(doc)).toContain('users: [{name: a, secret: x, channel: c}, {name: b, secret: yy, channel: c}]');
  });

  it('replaces a null section (tls: with nothing under it) by the map it needs', () => {
    const doc = parseValuesDocument('orchestrator:\n  tls:\n', 'f');
    applyAnswers(doc, guideAnswers(), profile);
    expect((documentValues(doc) as any).orchestrator.tls.enabled).toBe(true);
  });

  it('writes incomingNodes/outgoingNodes for a chart older than 18.1.0', () => {
    const doc = newValuesDocument();
    applyAnswers(doc, guideAnswers(), chartProfile('18.0.0'));
    const accounts = (documentValues(doc) as any).addAccountOperator;
    expect(Object.keys(accounts)).toEqual(['users', 'incomingNodes', 'outgoingNodes']);
  });
});

describe('reading a values file', () => {
  it('refuses YAML that cannot be resolved, as helm does, with file:line:column and then that line of the file', () => {
    const cases: Array<[string, RegExp]> = [
      ['a: 1\nb: *nope\n', /^f\.yaml:2:4: YAML error: alias \*nope refers to no anchor &nope set before it\n/],
      ['a: &x 5\nb:\n  <<: *x\n  c: 1\n', /^f\.yaml:3:7: YAML error: a merge key \(<<\) must point at a map/],
      ['b:\n  <<: [5]\n', /^f\.yaml:2:8: YAML error: a merge key \(<<\) must point at a map/],
      [
        'a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n',
        /^f\.yaml:5:\d+: YAML error: aliases expand to more than 100000 values \(an alias bomb\?\)/,
      ],
    ];
    for (const [text, expected] of cases) {
      let message = '';
      try {
        parseValuesDocument(text, 'f.yaml');
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        message = (error as Error).message;
      }
      expect(message, text).toMatch(expected);
      const line = Number(/^f\.yaml:(\d+):/.exec(message)?.[1]);
      expect(message.split('\n').slice(1, 2), text).toEqual([`  ${line} | ${text.split('\n')[line - 1]}`]);
    }
    // A merge from a real map and modest aliasing are fine.
    expect(documentValues(parseValuesDocument('a: &x {k: 1}\nb:\n  <<: *x\n  c: 2\nd: [*x, *x]\n', 'f.yaml'))).toEqual({
      a: { k: 1 }, b: { k: 1, c: 2 }, d: [{ k: 1 }, { k: 1 }],
    });
  });

  it('points a YAML syntax error at the quote or bracket never closed, not where the parser gave up, and shows that line with a caret', () => {
    const cases: Array<[string, string]> = [
      ['a: 1\nb: {c: 2\nd: 3\ne: 4\n', 'f.yaml:2:4: YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }\n  2 | b: {c: 2\n    |    ^'],
      ['name: x\nnote: "unfinished\nport: 443\nhost: h\n', 'f.yaml:2:7: YAML syntax error: Missing closing "quote\n  2 | note: "unfinished\n    |       ^'],
      ['x:\n  - [1,\n  - 2\n', 'f.yaml:2:5: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]\n  2 |   - [1,\n    |     ^'],
      ['a: 1\nb: 2\na: 3\n', 'f.yaml:3:1: YAML syntax error: Map keys must be unique\n  3 | a: 3\n    | ^'],
      ['a:\n\tb: 1\n', 'f.yaml:2:1: YAML syntax error: Tabs are not allowed as indentation\n  2 | \tb: 1\n    | ^'],
    ];
    for (const [text, expected] of cases) expect(() => parseValuesDocument(text, 'f.yaml'), text).toThrowError(expected);
  });

  it('never shows a secret in the line it quotes', () => {
    const text = 'addAccountOperator:\n  users:\n    - {name: admin, secret: "correct-Horse-battery-staple-42\n    - {name: bob, secret: x}\n';
    expect(() => parseValuesDocument(text, 'f.yaml')).toThrowError('f.yaml:3:29: YAML syntax error: Missing closing "quote\n  3 |     - {name: admin, secret: ***\n    |                             ^');
    const plain = "users:\n  - name: admin\n    secret: Hunter2-Hunter2-Hunter2-x\n    password: 'a''b\n   bad: 1\n";
    let message = '';
    try {
      parseValuesDocument(plain, 'f.yaml');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^f\.yaml:4:15: YAML syntax error: Missing closing 'quote\n {2}4 \| {5}password: \*\*\*\n/);
    expect(message).not.toContain('Hunter2');
  });

  it('reports a YAML syntax error as file:line:column', () => {
    expect(() => parseValuesDocument('a: 1\nb: [1, 2\nc: 3\n', 'bad.yaml')).toThrowError(InputError);
    try {
      parseValuesDocument('a: 1\nb: [1, 2\nc: 3\n', 'bad.yaml');
    } catch (error) {
      expect((error as Error).message).toMatch(/^bad\.yaml:\d+:\d+: YAML syntax error: /);
    }
  });

  it('reports a duplicated key (Helm would silently keep one)', () => {
    expect(() => parseValuesDocument('a: 1\na: 2\n', 'dup.yaml')).toThrowError(/^dup\.yaml:2:1: YAML syntax error: Map keys must be unique/);
  });

  it('refuses a file whose top is a list', () => {
    expect(() => parseValuesDocument('- a\n- b\n', 'list.yaml')).toThrowError('list.yaml: must hold a map of values at the top (it holds a list)');
  });

  it('reads yes/on as booleans, as Helm does', () => {
    const v = documentValues(parseValuesDocument('orchestrator:\n  sameCluster: yes\n', 'f')) as any;
    expect(v.orchestrator.sameCluster).toBe(true);
  });

  it('reads the answers back, secrets marked as coming from the file', () => {
    const { answers } = realisticAnswers();
    expect(answers).toMatchObject({
      organization: 'ingen', mspId: 'ingen', hostDomain: 'cluster-1.example.com', subdomain: 'api', ingress: true,
      orchestratorPort: 443, tls: true, mtls: false,
    });
    expect(answers.channels.map((c) => [c.name, c.restricted, c.modelExport])).toEqual([
      ['our-channel', false, true],
      ['private-ingen', true, false],
    ]);
    expect(answers.users.map((u) => [u.name, u.channel, u.origin?.kind])).toEqual([
      ['admin', 'our-channel', 'values'],
      ['analyst', 'private-ingen', 'values'],
    ]);
  });
});

describe('the masked summary', () => {
  it('shows every secret as ***', () => {
    const doc = newValuesDocument();
    const a = guideAnswers();
    applyAnswers(doc, a, profile);
    const text = maskedDocument(doc, profile);
    for (const secret of [a.users[0]!.secret!, a.incoming[0]!.secret!, a.outgoing[0]!.secret!]) expect(text).not.toContain(secret);
    expect(text.match(/secret: "?\*\*\*"?/g)).toHaveLength(3);
    // the document itself is untouched
    expect(renderDocument(doc)).toContain(a.users[0]!.secret!);
  });
});

describe('merge keys (<<: *anchor), as Helm reads them', () => {
  it('reads values through a merge key and overrides one without touching the anchor', () => {
    const text = 'defaults: &orch\n  host: orchestrator.example.com\n  port: 443\norchestrator:\n  <<: *orch\n  mspID: ingen\n';
    const doc = parseValuesDocument(text, 'merge.yaml');
    expect((documentValues(doc) as any).orchestrator).toEqual({ host: 'orchestrator.example.com', port: 443, mspID: 'ingen' });
    const a = { ...guideAnswers(), orchestratorHost: 'orchestrator.example.com', orchestratorPort: 8443 };
    applyAnswers(doc, a, profile);
    const v = documentValues(doc) as any;
    expect(v.orchestrator.port).toBe(8443);
    expect(v.defaults.port).toBe(443);
    expect(renderDocument(doc)).toContain('<<: *orch');
  });
});

/** The names the issue lists: YAML 1.1 or helm would read each one as a number. */
const NUMBER_LOOKING = ['0o17', '0o777', '0x1F', '1_000', '1e3', '.inf', '0777', '1:20', '+12', '0b101', '0x_1F', '08', '1.', '-0'];

describe('names a YAML 1.1 reader or helm would take for numbers', () => {
  it('are written quoted, as channel names, user names and the organization', () => {
    const doc = newValuesDocument();
    const a = guideAnswers();
    a.organization = '0o17';
    a.channels = NUMBER_LOOKING.map((name) => ({ name, restricted: false, modelExport: false, chaincode: 'mycc' }));
    a.users = NUMBER_LOOKING.map((name) => ({ name, channel: '0o777', secret: 'correct-Horse-battery-staple-42' }));
    applyAnswers(doc, a, profile);
    const text = renderDocument(doc);
    for (const name of NUMBER_LOOKING) {
      expect(text, name).toContain(`- "${name}":`);
      expect(text, name).toContain(`name: "${name}"`);
    }
    expect(text).toContain('organizationName: "0o17"');
    expect(text).toContain('channel: "0o777"');
  });

  it('already in a file unquoted, are quoted when the tool manages them, and left alone when it does not', () => {
    const doc = parseValuesDocument(
      'organizationName: 0o17\nunmanaged: 0o17\norchestrator:\n  channels:\n    - 0x1F:\n        restricted: false\n',
      'f.yaml',
    );
    const a = { ...guideAnswers(), organization: '0o17', channels: [{ name: '0x1F', restricted: false, modelExport: false, chaincode: 'mycc' }], users: [] };
    expect(applyAnswers(doc, a, profile)).toBe(true);
    const text = renderDocument(doc);
    expect(text).toContain('organizationName: "0o17"\n');
    expect(text).toContain('- "0x1F":\n');
    expect(text).toContain('unmanaged: 0o17\n');
  });
});

describe('plain scalars helm reads as numbers though YAML 1.1 reads them as strings', () => {
  it('are read as the numbers helm reads, so validate says to quote them instead of passing a name helm prints as %!s(float64=15)', () => {
    const doc = parseValuesDocument('a: 0o17\nb: 0x_1F\nc: 1__0\nd: -0b1\ne: "0o17"\nf: 0o17x\n', 'f.yaml');
    expect(documentValues(doc)).toEqual({ a: 15, b: 31, c: 10, d: -1, e: '0o17', f: '0o17x' });
  });
});

describe('unmanaged values keep their text through an edit', () => {
  it('timestamps, numbers in other notations, nulls and booleans as the file wrote them', () => {
    const kept = [
      'created: 2001-12-14t21:59:43.10-05:00',
      'day: 2002-12-14',
      'big: 1_000',
      'signed: +12',
      'infinite: .Inf',
      'hex: 0x1f',
      'octal: 0777',
      'minutes: 1:20',
      'fraction: 1.10',
      'nothing: ~',
      'flag: Yes',
      'odd: 0o17',
    ];
    const doc = parseValuesDocument(`extra:\n${kept.map((l) => `  ${l}`).join('\n')}\norganizationName: old\n`, 'f.yaml');
    expect(applyAnswers(doc, { ...guideAnswers(), organization: 'ingen' }, profile)).toBe(true);
    const text = renderDocument(doc);
    for (const line of kept) expect(text).toContain(`  ${line}\n`);
    expect(text).toContain('organizationName: ingen\n');
  });

  it('a managed number changed from hex notation is written plainly', () => {
    const doc = parseValuesDocument('orchestrator:\n  port: 0x1BB\n', 'f.yaml');
    applyAnswers(doc, { ...guideAnswers(), orchestratorPort: 8443 }, profile);
    expect(renderDocument(doc)).toContain('  port: 8443\n');
  });
});

describe('the file layout survives an edit', () => {
  it('keeps a byte-order mark and CRLF line ends', () => {
    const doc = parseValuesDocument('\ufeff# a comment\r\norganizationName: old\r\nkeep: me\r\n', 'f.yaml');
    applyAnswers(doc, guideAnswers(), profile);
    const text = renderDocument(doc);
    expect(text.startsWith('\ufeff# a comment\r\n')).toBe(true);
    expect(text).toContain('organizationName: ingen\r\n');
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('writes LF and no BOM for a file that had neither', () => {
    const doc = parseValuesDocument('organizationName: old\n', 'f.yaml');
    applyAnswers(doc, guideAnswers(), profile);
    const text = renderDocument(doc);
    expect(text).not.toContain('\r');
    expect(text.startsWith('\ufeff')).toBe(false);
  });

  it('accepts a trailing --- (as helm does) and keeps it', () => {
    const doc = parseValuesDocument('organizationName: old\n---\n', 'f.yaml');
    applyAnswers(doc, guideAnswers(), profile);
    const text = renderDocument(doc);
    expect(text.endsWith('\n---\n')).toBe(true);
    expect((documentValues(parseValuesDocument(text, 'again.yaml')) as any).organizationName).toBe('ingen');
  });
});

describe('what helm refuses is refused in one line, naming the file and the reason', () => {
  const refused = (text: string) => {
    try {
      parseValuesDocument(text, 'f.yaml');
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      return (error as Error).message;
    }
    throw new Error('accepted');
  };

  it('a NUL byte or another control character, with its place', () => {
    expect(refused('organizationName: in\u0000gen\n')).toBe('f.yaml:1:21: holds the control character U+0000, which helm refuses ("control characters are not allowed"); remove it');
    expect(refused('a: 1\n# \u001b[31m\n')).toMatch(/^f\.yaml:2:3: holds the control character U\+001B/);
  });

  it('a %YAML directive (1.2 or any other)', () => {
    expect(refused('%YAML 1.2\n---\norganizationName: ingen\n')).toBe(
      'f.yaml:1:1: holds the directive "%YAML 1.2", which helm refuses (it reads YAML 1.1 and takes no directive); remove the line',
    );
    expect(refused('%YAML 1.1\n---\na: 1\n')).toContain('directive "%YAML 1.1"');
  });

  it('an alias bomb', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i += 1) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    // A YAML error shows the line it is on under its one line of reason.
    expect(refused(`${lines.join('\n')}\n`)).toMatch(/^f\.yaml:(\d+):\d+: YAML error: aliases expand to more than 100000 values \(an alias bomb\?\); helm refuses such a file too\n {2}\1 \| [a-j]: /);
  });

  it('nesting far past any values file, in flow and block style', () => {
    expect(refused(`x: ${'['.repeat(5000)}${']'.repeat(5000)}\n`)).toMatch(/^f\.yaml(:\d+:\d+)?: nested more than 256 levels deep; substra-deploy reads no deeper/);
    let block = 'x:\n';
    for (let i = 1; i <= 300; i += 1) block += `${' '.repeat(i)}a:\n`;
    expect(refused(`${block}${' '.repeat(301)}b: 1\n`)).toMatch(/^f\.yaml(:\d+:\d+)?: nested more than 256 levels deep/);
  });

  it('a second document with content (helm would silently read only the first)', () => {
    expect(refused('a: 1\n---\nb: 2\n')).toBe('f.yaml:2:1: holds a second YAML document; helm reads only the first: keep one document per file');
  });
});
