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
  it('refuses YAML that cannot be resolved, as helm does, with file:line:column and one line', () => {
    const cases: Array<[string, RegExp]> = [
      ['a: 1\nb: *nope\n', /^f\.yaml:2:4: YAML error: alias \*nope refers to no anchor &nope set before it$/],
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
      expect(message.split('\n')).toHaveLength(1);
    }
    // A merge from a real map and modest aliasing are fine.
    expect(documentValues(parseValuesDocument('a: &x {k: 1}\nb:\n  <<: *x\n  c: 2\nd: [*x, *x]\n', 'f.yaml'))).toEqual({
      a: { k: 1 }, b: { k: 1, c: 2 }, d: [{ k: 1 }, { k: 1 }],
    });
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
