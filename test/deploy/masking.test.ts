import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeCertificates } from '../helpers/certs.js';
import { sharedChartRepository } from '../helpers/chart-repo.js';
import { GUIDE_ENV } from '../helpers/cli.js';
import { guideBackendFiles, runMain } from '../helpers/in-process.js';
import { StandIns, type StandInRule } from '../helpers/standins.js';

const repo = sharedChartRepository();
let certs: ReturnType<typeof makeCertificates>;
let secretsModeBackend: () => string;
let valuesModeBackend: () => string;
beforeAll(async () => {
  certs = makeCertificates();
  secretsModeBackend = await guideBackendFiles(['--secrets-mode', 'secret']);
  valuesModeBackend = await guideBackendFiles();
});

/** Every 12-character piece of each secret: a piece found anywhere is a leak. */
function pieces(secrets: string[]): string[] {
  return secrets.flatMap((s) => Array.from({ length: Math.max(1, s.length - 11) }, (_, i) => s.slice(i, i + 12)));
}

/**
 * The text as shown, plus every base64-looking run in it (joined over line breaks, as `base64`
 * wraps) decoded at each of its 4 offsets, and those decoded again: a secret encoded twice is
 * one `base64 -d | base64 -d` away.
 */
function readable(text: string, depth = 2): string[] {
  const decoded = [text];
  if (depth === 0) return decoded;
  for (const [run] of text.matchAll(/[A-Za-z0-9+/]{12,}={0,2}(?:\n(?: {2}│ )?[ \t]*[A-Za-z0-9+/]{4,}={0,2})*/g)) {
    const compact = run.replace(/\n(?: {2}│ )?[ \t]*/g, '');
    for (let k = 0; k < 4; k += 1) decoded.push(...readable(Buffer.from(compact.slice(k), 'base64').toString('latin1'), depth - 1));
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

async function deployWith(rule: StandInRule, json: boolean, backend = secretsModeBackend, extra: string[] = []): Promise<{ code: number | null; out: string; stderr: string; stdout: string }> {
  const dir = backend();
  const standIns = new StandIns();
  const r = await runMain(
    [
      'deploy', '--values', 'backend-values.yaml', '--namespace', 'substra', '--repo-url', repo.url,
      '--orchestrator-ca-cert', certs.ca, '--client-cert', certs.cert, '--client-key', certs.key, ...(json ? ['--json'] : []), ...extra,
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

describe('a failing tool that prints what it got base64-encoded whole shows no secret', () => {
  it('kubectl apply printing base64 of the manifest it got (the Secret data encoded twice), wrapped: none of the accounts or the key, in text or --json', async () => {
    for (const stdinMatch of ['backend-accounts', 'kubernetes.io/tls']) {
      for (const json of [false, true]) {
        const r = await deployWith({ bin: 'kubectl', match: 'apply', stdinMatch, exit: 1, echoStdinBase64: true }, json);
        expect(r.code).toBe(1);
        expectNoLeak(r.out, [...keyLines(), ...Object.values(GUIDE_ENV)], readFileSync(certs.cert, 'utf8'));
      }
    }
  });

  it('helm upgrade printing its values file base64-encoded and wrapped: no password or link secret, even where a line break cuts one', async () => {
    const dir = valuesModeBackend();
    const encoded = readFileSync(path.join(dir, 'backend-values.yaml')).toString('base64').replace(/.{76}/g, '$&\n');
    const r = await deployWith({ bin: 'helm', match: 'upgrade', exit: 1, stderr: `Error: UPGRADE FAILED: values:\n${encoded}\n` }, false, () => dir);
    expect(r.code).toBe(1);
    expectNoLeak(r.out, Object.values(GUIDE_ENV));
  });
});

describe('values of password-like keys the tool does not manage are masked too', () => {
  const DB_PASSWORD = 'Unmanaged-Db-Passw0rd-Zz9';
  const withDatabasePassword = () => {
    const dir = valuesModeBackend();
    const file = path.join(dir, 'backend-values.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('config:\n', `config:\n  DB_PASSWORD: ${DB_PASSWORD}\n`) + `database:\n  auth:\n    password: ${DB_PASSWORD}\n`);
    return dir;
  };

  it('helm template quoting the line of an unmanaged password in its error: ***, in text and --json', async () => {
    for (const json of [false, true]) {
      const r = await deployWith({ bin: 'helm', match: 'template', exit: 1, stderr: `Error: YAML parse error: password: ${DB_PASSWORD}\n` }, json, withDatabasePassword);
      expect(r.code).toBe(1);
      expect(r.out).toContain('password: ***');
      expectNoLeak(r.out, [DB_PASSWORD]);
    }
  });

  it('--diff showing a ConfigMap the chart renders from config: the password-like value is ***, in text and --json', async () => {
    for (const json of [false, true]) {
      const r = await deployWith({ bin: 'helm', match: 'get manifest', exit: 1, stderr: 'Error: release: not found\n' }, json, withDatabasePassword, ['--diff']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.out).toMatch(/DB_PASSWORD: \\?"?\*\*\*/);
      expectNoLeak(r.out, [DB_PASSWORD]);
    }
  });

  it('--diff against a release whose ConfigMap holds an old password-like value this run does not know: masked on both sides, marked changed', async () => {
    const OLD = 'Old-Db-Passw0rd-Nobody-Knows';
    const deployedManifest = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: backend-settings}\ndata:\n  DB_PASSWORD: ${OLD}\n  ORG_NAME: ingen\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: backend-server}\nspec:\n  template:\n    spec:\n      containers:\n        - name: server\n          env:\n            - {name: DATABASE_PASSWORD, value: ${OLD}}\n`;
    const r = await deployWith({ bin: 'helm', match: 'get manifest', exit: 0, stdout: deployedManifest }, false, withDatabasePassword, ['--diff']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.out).toMatch(/DB_PASSWORD: "?\*\*\* \(changed\)/);
    expectNoLeak(r.out, [DB_PASSWORD, OLD]);
  });
});
