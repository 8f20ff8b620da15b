import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { fixture } from '../helpers/golden.js';
import { KEY, Terminal } from '../helpers/pty.js';

const PASSWORD = 'Typed-in-the-wizard-Passw0rd';
let terminal: Terminal | undefined;
afterEach(() => terminal?.kill());

// What only a terminal shows: masked typing, an answer refused in place, Ctrl-C, the grouped
// menu drawn by inquirer, CI in a terminal. The flow itself (which questions, in which order,
// what they lead to) is tested in-process in test/cli/wizard-flow.test.ts.
describe('the interactive wizard in a real terminal', () => {
  it('asks in the guide order, re-asks an invalid answer with the rule, writes the file and prints the CI command', async () => {
    const dir = tempDir();
    const t = (terminal = new Terminal(['init'], dir));
    await t.waitFor('This writes backend-values.yaml, a substra-backend values file, from your answers');
    await t.waitFor('Ctrl-C quits without writing');
    await t.answer('Organization name', `ingen${KEY.enter}`);
    await t.answer('MSP ID on the orchestrator', KEY.enter);
    await t.answer('Host domain', `Cluster-1.example.com${KEY.enter}`);
    await t.waitFor('must be lowercase (try "cluster-1.example.com")');
    t.type(KEY.backspace.repeat(30) + `cluster-1.example.com${KEY.enter}`);
    await t.answer('Backend subdomain', KEY.enter);
    await t.answer('Create an ingress for the backend?', KEY.enter);
    await t.answer('Ingress host name', KEY.enter);
    await t.answer('URL peers call this backend at', KEY.enter);
    await t.answer('Hosts the backend answers for', KEY.enter);
    await t.answer('Ingress class (empty: the cluster default)', `nginx${KEY.enter}`);
    await t.answer('Largest upload through the ingress', KEY.enter);
    await t.answer('cert-manager ClusterIssuer for HTTPS', `letsencrypt-prod${KEY.enter}`);
    await t.answer('TLS Secret for HTTPS', KEY.enter);
    // Suggestions follow the answers so far: the host under the domain, TLS from outside the cluster.
    await t.answer('Orchestrator host (orchestrator.cluster-1.example.com)', KEY.enter);
    await t.answer('Is the orchestrator in this same cluster?', KEY.enter);
    await t.answer('Does the orchestrator use TLS? (Y/n)', KEY.enter);
    await t.answer('Orchestrator port', KEY.enter);
    await t.answer('Channel name', `our-channel${KEY.enter}`);
    await t.answer('restricted to this organization alone?', KEY.enter);
    await t.answer('May users download models', `y${KEY.enter}`);
    await t.answer('Add another channel?', KEY.enter);
    await t.answer('Name of the cluster object holding the orchestrator CA', KEY.enter);
    await t.answer('require a client certificate (mTLS)?', KEY.enter);
    await t.answer('Add a user who can log in to the backend?', KEY.enter);
    await t.answer('User name', `admin${KEY.enter}`);
    await t.answer('Password for admin', KEY.down + KEY.enter);
    await t.answer('Password', `too-short${KEY.enter}`);
    await t.waitFor('the backend would refuse it: must be at least 20 characters (it has 9)');
    t.type(KEY.backspace.repeat(20) + PASSWORD + KEY.enter);
    // A repeat that differs is asked again in place, masked, and never marked done.
    await t.answer('Repeat the password', `not-the-same${KEY.enter}`);
    await t.waitFor('the two passwords differ: type it again, or leave it empty and press Enter to start over');
    expect(t.text).not.toMatch(/✔ Repeat the password/);
    t.type(KEY.backspace.repeat(20) + PASSWORD + KEY.enter);
    await t.answer('Add another user?', KEY.enter);
    await t.answer('Add an incoming organization', KEY.enter);
    await t.answer('Add an outgoing organization', KEY.enter);
    await t.waitFor('backend-values.yaml will hold:');
    await t.waitFor('Write backend-values.yaml?');
    t.type(KEY.enter);
    await t.waitFor('To repeat this in CI:');
    await t.answer('Deploy it to the cluster now (helm and kubectl)?', KEY.enter);
    await t.waitFor('deploy later with: substra-deploy deploy --values backend-values.yaml');
    expect(await t.exited).toBe(0);

    expect(t.text).not.toContain(PASSWORD);
    expect(t.text).toContain('secret: "***"');
    expect(t.text).toContain(
      'substra-deploy init --non-interactive --organization ingen --host-domain cluster-1.example.com --ingress-class nginx --cluster-issuer letsencrypt-prod --orchestrator-host orchestrator.cluster-1.example.com --orchestrator-tls --channel our-channel,model-export --user admin,channel=our-channel,password-env=SUBSTRA_PASSWORD_ADMIN --output backend-values.yaml',
    );
    const file = path.join(dir, 'backend-values.yaml');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain(`secret: ${PASSWORD}`);
    expect(text).toContain('cacert: orchestrator-cacert');
    expect(text).toContain('port: 443');
  });

  it('leaves no file when Ctrl-C is pressed half-way, and exits 130', async () => {
    const dir = tempDir();
    const t = (terminal = new Terminal(['init'], dir));
    await t.answer('Organization name', `ingen${KEY.enter}`);
    await t.answer('MSP ID on the orchestrator', KEY.enter);
    await t.waitFor('Host domain');
    t.type(KEY.ctrlC);
    expect(await t.exited).toBe(130);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('editing a file: shows its settings grouped as the guide does, to change, removes an unticked account with the warning, shows only the lines that change', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'values.yaml'), fixture('values/realistic.yaml'));
    const t = (terminal = new Terminal(['init', '--values', 'values.yaml'], dir));
    await t.waitFor('values.yaml holds these settings. Change one?');
    // Grouped under the deployment guide's headings, in its order.
    await t.waitFor('── Organization');
    await t.waitFor('── Backend exposure (ingress)');
    await t.waitFor('── Orchestrator connection');
    await t.waitFor('Orchestrator port: 443');
    await t.waitFor('── Channels');
    await t.waitFor('── Users');
    await t.waitFor('── Links with other organizations');
    t.type(KEY.down + KEY.enter); // past the heading, to Organization name
    await t.answer('? Organization name (ingen)', `tyrell${KEY.enter}`);
    await t.waitFor('✔ Organization name tyrell');
    await t.answer('? values.yaml holds these settings. Change one?', KEY.enter); // Done
    await t.answer('Add a channel?', KEY.enter); // no
    await t.waitFor('Keep these users from the file?');
    t.type(' ' + KEY.enter); // untick the first (admin), submit
    await t.answer('Add a user who can log in to the backend?', KEY.enter);
    await t.answer('Keep these incoming organizations from the file?', KEY.enter);
    await t.answer('Add an incoming organization', KEY.enter);
    await t.answer('Keep these outgoing organizations from the file?', KEY.enter);
    await t.answer('Add an outgoing organization', KEY.enter);
    await t.waitFor('values.yaml: these lines change (everything else stays as it is):');
    await t.waitFor('- organizationName: ingen # our org');
    await t.waitFor('+ organizationName: tyrell # our org');
    await t.waitFor('-     - name: admin');
    await t.waitFor('removed user "admin": chart 26.15.3 deletes this account from the backend at');
    expect(t.text).not.toContain('values.yaml will hold:');
    await t.answer('Write values.yaml?', KEY.enter);
    await t.answer('Deploy it to the cluster now', KEY.enter);
    expect(await t.exited).toBe(0);
    const text = readFileSync(path.join(dir, 'values.yaml'), 'utf8');
    expect(text).not.toContain('name: admin');
    expect(text).toContain('name: analyst');
    expect(text).toContain('organizationName: tyrell   # our org');
    expect(text).toContain('# Backend values for ingen');
  });

  it('--no-color takes the colour out of the prompts too, not only out of its own lines', async () => {
    const t = (terminal = new Terminal(['init', '--no-color'], tempDir()));
    await t.answer('Organization name', `ingen${KEY.enter}`);
    await t.waitFor('MSP ID on the orchestrator');
    t.type(KEY.ctrlC);
    expect(await t.exited).toBe(130);
    // eslint-disable-next-line no-control-regex
    expect(t.rawOutput.match(/\u001b\[[0-9;]*m/g) ?? []).toEqual([]);
  });

  it('never prompts when CI is set, even in a terminal', async () => {
    const dir = tempDir();
    const t = (terminal = new Terminal(['init'], dir, { CI: 'true' }));
    expect(await t.exited).toBe(2);
    expect(t.text).toContain('missing --organization');
    expect(existsSync(path.join(dir, 'backend-values.yaml'))).toBe(false);
  });
});
