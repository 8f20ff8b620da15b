import { existsSync, readFileSync } from 'node:fs';
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
