import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeCertificates } from '../helpers/certs.js';
import { tempDir } from '../helpers/cli.js';
import { fixture } from '../helpers/golden.js';
import { runMain, scriptedPrompter } from '../helpers/in-process.js';
import { StandIns } from '../helpers/standins.js';
import { Cancelled } from '../../src/core/errors.js';

/**
 * The wizard's flow, run in-process with a scripted prompter that fails on any question it
 * was not given: which questions are asked, in which order, and what they lead to. What only
 * a terminal shows (masking, re-asking in place, Ctrl-C) is in test/e2e/wizard.test.ts.
 */
const OPEN_AFTER_FLAGS = [
  'Ingress host name',
  'URL peers call this backend at',
  'Hosts the backend answers for',
  'Ingress class (empty: the cluster default)',
  'Largest upload through the ingress',
  'cert-manager ClusterIssuer for HTTPS',
  'TLS Secret for HTTPS',
];
/** The answers to those questions: nginx, a ClusterIssuer, every other suggestion taken. */
const openAnswers = () => OPEN_AFTER_FLAGS.map((q): [string, unknown] => [q, q.startsWith('Ingress class') ? 'nginx' : q.startsWith('cert-manager') ? 'letsencrypt-prod' : undefined]);
/** A TLS orchestrator's run up to "Deploy it now?", answered yes. */
const untilDeploy = (): Array<[string, unknown]> => [
  ...openAnswers(),
  ['Name of the cluster object holding the orchestrator CA', undefined],
  ['Add an incoming organization', undefined],
  ['Add an outgoing organization', undefined],
  ['Write backend-values.yaml?', true],
  ['The generated secret is only in backend-values.yaml. See it?', undefined],
  ['Deploy it to the cluster now', true],
];
/** The flags of a TLS orchestrator's run, deploying to namespace substra; `tls`: the mTLS flags. */
const tlsFlags = (...tls: string[]) => [
  'init', '--organization', 'ingen', '--host-domain', 'example.com', '--orchestrator-host', 'orch.example.com', '--channel', 'c1', '--orchestrator-tls', ...tls,
  '--ingress', '--subdomain', 'api', '--msp-id', 'ingen', '--no-orchestrator-same-cluster', '--generate-passwords', '--user', 'admin', '--orchestrator-port', '443', '--namespace', 'substra',
];
const expectAsked = (asked: string[], starts: string[]) => {
  expect(asked.length, asked.join('\n')).toBe(starts.length);
  starts.forEach((start, i) => expect(asked[i], `question ${i + 1}`).toMatch(new RegExp(`^${start.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)));
};

describe('the wizard asks only what is open, in the guide order', () => {
  it('asks only what flags left open, and by default shows the command that prints a generated password, not the password', async () => {
    const dir = tempDir();
    const prompter = scriptedPrompter([
      ...openAnswers(),
      ['Orchestrator port', undefined],
      ['Add an incoming organization', undefined],
      ['Add an outgoing organization', undefined],
      ['Write backend-values.yaml?', true],
      ['The generated secret is only in backend-values.yaml. See it?', undefined],
      ['Deploy it to the cluster now', undefined],
    ]);
    const r = await runMain(
      ['init', '--organization', 'ingen', '--host-domain', 'example.com', '--orchestrator-host', 'orch.example.com', '--channel', 'c1', '--no-orchestrator-tls', '--ingress', '--subdomain', 'api', '--msp-id', 'ingen', '--no-orchestrator-same-cluster', '--generate-passwords', '--user', 'admin'],
      { cwd: dir, prompter, tty: true },
    );
    expect(r.code, r.stderr).toBe(0);
    expectAsked(prompter.asked, [...OPEN_AFTER_FLAGS, 'Orchestrator port', 'Add an incoming organization', 'Add an outgoing organization', 'Write backend-values.yaml?', 'The generated secret', 'Deploy it to the cluster now']);
    const line = /user admin: sed -n '(\d+)p' backend-values\.yaml/.exec(r.stderr)?.[1];
    const text = readFileSync(path.join(dir, 'backend-values.yaml'), 'utf8');
    expect(text.split('\n')[Number(line) - 1]).toMatch(/^\s+secret: [A-Za-z0-9]{32}$/);
    expect(r.stderr).not.toContain(/secret: ([A-Za-z0-9]{32})/.exec(text)?.[1]);
    // TLS off: the port follows (80), not the 443 a TLS orchestrator would get.
    expect(text).toContain('port: 80\n');
  });

  it('shows the deployment plan before any step runs, and runs none when told no', async () => {
    const dir = tempDir();
    const certs = makeCertificates();
    const standIns = new StandIns();
    const prompter = scriptedPrompter([
      ...untilDeploy(),
      ['Orchestrator CA certificate file (empty if orchestrator-cacert is already in the cluster)', certs.ca],
      ['Run them now?', false],
    ]);
    const r = await runMain(
      tlsFlags('--no-mtls'),
      { cwd: dir, prompter, tty: true, env: standIns.env() },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(prompter.asked.at(-1)).toBe('Run them now?');
    expect(r.stderr).toContain(' takes these steps:');
    expect(r.stderr).toContain(`$ kubectl create secret generic orchestrator-cacert --from-file=ca.crt=${certs.ca} --namespace substra --dry-run=client -o yaml | kubectl apply -f - --namespace substra`);
    expect(r.stderr).toContain('nothing was run; later: substra-deploy deploy --values backend-values.yaml');
    expect(standIns.calls()).toEqual([]);
  });

  it('with mTLS, asks for the client certificate and key files the Secret needs, and the plan puts them in the cluster', async () => {
    const dir = tempDir();
    const certs = makeCertificates();
    const standIns = new StandIns();
    const prompter = scriptedPrompter([
      ...untilDeploy(),
      ['Orchestrator CA certificate file (empty if orchestrator-cacert is already in the cluster)', ''],
      ['Client certificate file (empty if Secret orchestrator-client is already in the cluster)', certs.cert],
      ['Client key file', certs.key],
      ['Run them now?', false],
    ]);
    const r = await runMain(
      tlsFlags('--mtls', '--client-cert-secret', 'orchestrator-client'),
      { cwd: dir, prompter, tty: true, env: standIns.env() },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(prompter.asked.at(-1)).toBe('Run them now?');
    expect(r.stderr).toContain(`kubectl create secret tls orchestrator-client --cert=${certs.cert} --key=${certs.key}`);
    // The CA file was left empty (already in the cluster): no file of the operator's is put there.
    expect(r.stderr).not.toContain(`--from-file=ca.crt=${certs.ca}`);
    expect(standIns.calls()).toEqual([]);
  });

  it('offers to edit backend-values.yaml when it already exists, and leaves it byte for byte when nothing changes', async () => {
    const dir = tempDir();
    const original = fixture('values/realistic.yaml');
    writeFileSync(path.join(dir, 'backend-values.yaml'), original);
    const keepAll = (kind: string): [string, unknown] => [`Keep these ${kind} from the file?`, () => undefined];
    const prompter = scriptedPrompter([
      ['backend-values.yaml already exists. What now?', 'edit'],
      ['backend-values.yaml holds these settings. Change one?', 'done'],
      ['Add a channel?', false],
      keepAll('users'),
      ['Add a user', false],
      keepAll('incoming organizations'),
      ['Add an incoming organization', false],
      keepAll('outgoing organizations'),
      ['Add an outgoing organization', false],
      ['Deploy it to the cluster now', false],
    ]);
    // Every account of the file kept: the checkbox answers with all of them.
    const kept = prompter.checkbox;
    prompter.checkbox = async <T>(o: { message: string; choices: Array<{ value: T; checked?: boolean }> }) => {
      await kept(o as never);
      return o.choices.filter((c) => c.checked).map((c) => c.value);
    };
    const r = await runMain(['init'], { cwd: dir, prompter, tty: true });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('backend-values.yaml already says all of this; nothing to write');
    expect(readFileSync(path.join(dir, 'backend-values.yaml'), 'utf8')).toBe(original);
  });
});

describe('suggestions follow the answers so far', () => {
  /** The default each yes/no question offered, by the start of its message. */
  const offered = async (flags: string[]) => {
    const defaults = new Map<string, boolean | undefined>();
    const prompter = scriptedPrompter([
      ...openAnswers(),
      ['Is the orchestrator in this same cluster?', undefined],
      ['Does the orchestrator use TLS?', undefined],
      ['Orchestrator port', undefined],
      ['Name of the cluster object holding the orchestrator CA', undefined],
      ['Does the orchestrator require a client certificate', undefined],
      ['Add an incoming organization', undefined],
      ['Add an outgoing organization', undefined],
      ['Write backend-values.yaml?', false],
    ]);
    const confirm = prompter.confirm;
    prompter.confirm = async (o) => {
      defaults.set(o.message, o.default);
      return confirm(o);
    };
    const r = await runMain(
      ['init', '--organization', 'ingen', '--host-domain', 'example.com', '--orchestrator-host', 'orch.example.com', '--channel', 'c1', '--ingress', '--subdomain', 'api', '--msp-id', 'ingen', '--generate-passwords', '--user', 'admin', ...flags],
      { cwd: tempDir(), prompter, tty: true },
    );
    expect(r.code, r.stderr).toBe(130);
    return defaults.get('Does the orchestrator use TLS?');
  };

  it('TLS is suggested for a given port 443 and not for port 80, whatever the cluster', async () => {
    expect(await offered(['--orchestrator-port', '443'])).toBe(true);
    expect(await offered(['--orchestrator-port', '443', '--orchestrator-same-cluster'])).toBe(true);
    expect(await offered(['--orchestrator-port', '80'])).toBe(false);
    // No port yet: from outside the cluster (through an ingress, on 443) with TLS.
    expect(await offered([])).toBe(true);
  });
});

describe('the opening line', () => {
  it('comes first, also when the file exists and the first question is what to do with it', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'backend-values.yaml'), fixture('values/realistic.yaml'));
    const prompter = scriptedPrompter([['backend-values.yaml already exists. What now?', 'quit']]);
    const r = await runMain(['init'], { cwd: dir, prompter, tty: true });
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/^This writes backend-values\.yaml, .* Ctrl-C quits without writing\.\ncancelled: nothing was written\n$/);
  });

  it('says where it writes when that is not the file edited (--values with --output)', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'values.yaml'), fixture('values/realistic.yaml'));
    const prompter = scriptedPrompter([['values.yaml holds these settings', new Cancelled()]]);
    const r = await runMain(['init', '--values', 'values.yaml', '--output', 'staging.yaml'], { cwd: dir, prompter, tty: true });
    expect(r.code).toBe(130);
    expect(r.stderr.split('\n')[0]).toBe(
      'Editing values.yaml into staging.yaml: change what you need; the rest stays byte for byte. Nothing is written before you confirm, and Ctrl-C quits without writing.',
    );
  });
});
