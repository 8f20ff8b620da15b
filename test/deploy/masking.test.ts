import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeCertificates } from '../helpers/certs.js';
import { sharedChartRepository } from '../helpers/chart-repo.js';
import { GUIDE_ENV } from '../helpers/cli.js';
import { guideBackendFiles, runMain } from '../helpers/in-process.js';
import { StandIns, type StandInRule } from '../helpers/standins.js';

const repo = sharedChartRepository();
let certs: ReturnType<typeof makeCertificates>;
let secretsModeBackend: () => string;
beforeAll(async () => {
  certs = makeCertificates();
  secretsModeBackend = await guideBackendFiles(['--secrets-mode', 'secret']);
});

/** Every 12-character piece of each secret: a piece found anywhere is a leak. */
function pieces(secrets: string[]): string[] {
  return secrets.flatMap((s) => Array.from({ length: Math.max(1, s.length - 11) }, (_, i) => s.slice(i, i + 12)));
}

/** The text as shown, plus every base64-looking run in it decoded at each of its 4 offsets. */
function readable(text: string): string[] {
  const decoded = [text];
  for (const [run] of text.matchAll(/[A-Za-z0-9+/]{12,}={0,2}/g)) {
    for (let k = 0; k < 4; k += 1) decoded.push(Buffer.from(run.slice(k), 'base64').toString('latin1'));
  }
  return decoded;
}

/** `exceptIn`: public text (the certificate holds the key's public half, the modulus). */
function expectNoLeak(output: string, secrets: string[], exceptIn = ''): void {
  const texts = readable(output);
  const known = readable(exceptIn + Buffer.from(exceptIn).toString('base64'));
  const secretPieces = pieces(secrets).filter((piece) => !known.some((text) => text.includes(piece)));
  // One assertion over all pieces: an expect() per piece and text took seconds.
  expect(secretPieces.filter((piece) => texts.some((text) => text.includes(piece))), 'pieces of a secret readable in the output').toEqual([]);
}

async function deployWith(rule: StandInRule, json: boolean): Promise<{ code: number | null; out: string; stderr: string; stdout: string }> {
  const dir = secretsModeBackend();
  const standIns = new StandIns();
  const r = await runMain(
    [
      'deploy', '--values', 'backend-values.yaml', '--namespace', 'substra', '--repo-url', repo.url,
      '--orchestrator-ca-cert', certs.ca, '--client-cert', certs.cert, '--client-key', certs.key, ...(json ? ['--json'] : []),
    ],
    { cwd: dir, env: standIns.env([rule]) },
  );
  return { code: r.code, out: r.stdout + r.stderr, stderr: r.stderr, stdout: r.stdout };
}

const keyLines = () =>
  readFileSync(certs.key, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0 && !l.startsWith('-----'));

describe('a failing tool that echoes the object it was given shows no secret, plain or base64', () => {
  const accountsApplyFails: StandInRule = { bin: 'kubectl', match: 'apply', stdinMatch: 'backend-accounts', exit: 1, echoStdin: true };
  const clientCertApplyFails: StandInRule = { bin: 'kubectl', match: 'apply', stdinMatch: 'kubernetes.io/tls', exit: 1, echoStdin: true };

  it('kubectl apply of the accounts Secret: no password or link secret, in text', async () => {
    const r = await deployWith(accountsApplyFails, false);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('step "Put the accounts in Secret backend-accounts (addAccountOperator.existingSecret)" failed');
    // The object was shown, its data masked.
    expect(r.stderr).toMatch(/│ +users: \*\*\*/);
    expectNoLeak(r.out, Object.values(GUIDE_ENV));
  });

  it('kubectl apply of the accounts Secret: no password or link secret, in --json', async () => {
    const r = await deployWith(accountsApplyFails, true);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ command: 'deploy', ok: false });
    expect(report.errors[0].message).toContain('users: ***');
    expectNoLeak(r.out, Object.values(GUIDE_ENV));
  });

  it('kubectl apply of the client certificate Secret: no part of the private key, in text or --json', async () => {
    for (const json of [false, true]) {
      const r = await deployWith(clientCertApplyFails, json);
      expect(r.code).toBe(1);
      expect(r.out).toContain('tls.key: ***');
      expect(r.out).not.toContain('PRIVATE KEY');
      expectNoLeak(r.out, [...keyLines(), ...Object.values(GUIDE_ENV)], readFileSync(certs.cert, 'utf8'));
    }
  });
});

describe('a failing read of what is deployed shows none of the deployed secrets', () => {
  // Secrets of accounts deployed earlier: not in this run's values, so its mask cannot know them.
  const OLD_PASSWORD = 'Deployed-Long-Ago-Passw0rd-Only-In-Cluster';
  const OLD_LINK = 'OldLinkSecretNobodyHereKnows42';

  it('helm get values that fails with the values on stdout and nothing on stderr: none of them, in text and --json', async () => {
    const deployed = JSON.stringify({ addAccountOperator: { users: [{ name: 'carol', secret: OLD_PASSWORD, channel: 'our-channel' }], incomingOrganizations: [{ name: 'tyrell', secret: OLD_LINK }] } });
    for (const json of [false, true]) {
      const r = await deployWith({ bin: 'helm', match: 'get values backend --all -o json', exit: 1, stdout: deployed }, json);
      expect(r.code).toBe(1);
      expect(r.out).toContain('step "Read the accounts deployed now (release backend)" failed: helm exited 1');
      expectNoLeak(r.out, [OLD_PASSWORD, OLD_LINK, ...Object.values(GUIDE_ENV)]);
    }
  });

  it('kubectl get of the accounts Secret that fails with the Secret on stdout: none of its data, plain or base64', async () => {
    const data = { users: Buffer.from(`carol ${OLD_PASSWORD} our-channel\n`).toString('base64'), incoming_organizations: Buffer.from(`tyrell ${OLD_LINK}\n`).toString('base64') };
    const r = await deployWith({ bin: 'kubectl', match: 'get secret backend-accounts -o json', exit: 1, stdout: JSON.stringify({ kind: 'Secret', data }) }, false);
    expect(r.code).toBe(1);
    expectNoLeak(r.out, [OLD_PASSWORD, OLD_LINK]);
  });
});
