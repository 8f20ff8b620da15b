import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseEnv, tempDir } from '../helpers/cli.js';
import { runMain } from '../helpers/in-process.js';

/** Checks written from ../shared/docs/cli-contract.md, read the way a CI job relies on it. */

const PASSWORD = 'correct-Horse-battery-staple-42';
const BASE = ['init', '--non-interactive', '--organization', 'ingen', '--host-domain', 'cluster-1.example.com', '--orchestrator-host', 'orchestrator.cluster-1.example.com'];

describe('usage errors name the flag as the contract spells them', () => {
  it('"missing --organization (required when not interactive)" appears as written', async () => {
    const r = await runMain(['init', '--non-interactive'], { cwd: tempDir(), env: baseEnv() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing --organization (required when not interactive)');
    expect(r.stderr).toContain('missing --host-domain (required when not interactive)');
    expect(r.stderr).toContain('missing --orchestrator-host (required when not interactive)');
  });
});

describe('spec items', () => {
  it('a key given twice in one --user spec is a usage error, not the last one silently winning', async () => {
    const dir = tempDir();
    const r = await runMain([...BASE, '--channel', 'c', '--channel', 'd', '--user', 'admin,channel=c,channel=d,password-env=PW'], {
      cwd: dir,
      env: baseEnv({ PW: PASSWORD }),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"channel=" given twice');
    expect(existsSync(path.join(dir, 'backend-values.yaml'))).toBe(false);
  });

  it('a key given twice in one --channel spec is a usage error', async () => {
    const r = await runMain([...BASE, '--channel', 'c,chaincode=a,chaincode=b'], { cwd: tempDir(), env: baseEnv() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"chaincode=" given twice');
  });

  it('an empty item (a doubled or trailing comma) is called that, not "an item without ="', async () => {
    const r = await runMain([...BASE, '--channel', 'c', '--user', 'admin,password-env=PW,'], { cwd: tempDir(), env: baseEnv({ PW: PASSWORD }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('empty item');
    expect(r.stderr).not.toContain('an item without "="');
  });

  it('password-env naming an empty variable says it is empty (it is set)', async () => {
    const r = await runMain([...BASE, '--channel', 'c', '--user', 'admin,password-env=PW'], { cwd: tempDir(), env: baseEnv({ PW: '' }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('environment variable PW is empty');
  });

  it('a bad spec from SUBSTRA_USERS names the variable it came from', async () => {
    const r = await runMain([...BASE, '--channel', 'c'], { cwd: tempDir(), env: baseEnv({ PW: PASSWORD, SUBSTRA_USERS: 'admin,password=x' }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: SUBSTRA_USERS: --user "admin,password=\*\*\*"/m);
  });
});

describe('--chart-version', () => {
  it('refuses charts before 13.0.0, whose layout the tool does not write (substra-facts: treat < 13 as unsupported)', async () => {
    const dir = tempDir();
    const r = await runMain([...BASE, '--channel', 'c', '--chart-version', '12.0.0'], { cwd: dir, env: baseEnv() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--chart-version "12.0.0"');
    expect(existsSync(path.join(dir, 'backend-values.yaml'))).toBe(false);
    const ok = await runMain([...BASE, '--channel', 'c', '--chart-version', '13.0.1'], { cwd: dir, env: baseEnv() });
    expect(ok.code).toBe(0);
    expect(readFileSync(path.join(dir, 'backend-values.yaml'), 'utf8')).toContain('organizationName: ingen');
  });
});

describe('verify --peer-url <mspID>=<url>…', () => {
  it('takes several peers after one --peer-url, as the contract writes it', async () => {
    const dir = tempDir();
    const made = await runMain(
      [...BASE, '--channel', 'c', '--outgoing', 'ingen,secret-env=S', '--incoming', 'ingen,secret-env=S', '--outgoing', 'bio,secret-env=S'],
      { cwd: dir, env: baseEnv({ S: 'aB3dE5fG7hJ9kL1mN2pQ4rS6' }) },
    );
    expect(made.code).toBe(0);
    const r = await runMain(['verify', '--peers', 'backend-values.yaml', '--peer-url', 'ingen=http://127.0.0.1:1', 'bio=http://127.0.0.1:1', '--timeout', '2s', '--json'], {
      cwd: dir,
      env: baseEnv(),
    });
    const doc = JSON.parse(r.stdout) as { peers: Array<{ mspId: string; outcome: string }>; errors: Array<{ message: string }> };
    expect(doc.errors.map((e) => e.message).join('\n')).not.toContain('too many arguments');
    expect(r.code).toBe(1);
    expect(doc.peers.map((p) => p.mspId).sort()).toEqual(['bio', 'ingen']);
  });
});

describe('--channel NAME → chaincode: {name: <chaincode or mycc>}', () => {
  it('a new channel gets chaincode mycc unless the spec names one; a channel the --values file has is left as it is', async () => {
    const dir = tempDir();
    const r = await runMain([...BASE, '--channel', 'our-channel,model-export', '--channel', 'other,chaincode=cc2'], { cwd: dir, env: baseEnv() });
    expect(r.code).toBe(0);
    const text = readFileSync(path.join(dir, 'backend-values.yaml'), 'utf8');
    expect(text).toContain('    - our-channel:\n        restricted: false\n        model_export_enabled: true\n        chaincode:\n          name: mycc\n');
    expect(text).toContain('    - other:\n        restricted: false\n        model_export_enabled: false\n        chaincode:\n          name: cc2\n');

    const handWritten = text.replace('        chaincode:\n          name: mycc\n', '');
    writeFileSync(path.join(dir, 'backend-values.yaml'), handWritten);
    const edit = await runMain(['init', '--non-interactive', '--values', 'backend-values.yaml', '--channel', 'our-channel,restricted'], { cwd: dir, env: baseEnv() });
    expect(edit.code).toBe(0);
    expect(readFileSync(path.join(dir, 'backend-values.yaml'), 'utf8')).toContain('    - our-channel:\n        restricted: true\n        model_export_enabled: false\n  ');
  });
});
