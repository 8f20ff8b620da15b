import { describe, expect, it } from 'vitest';
import type { Answers, PartialAnswers } from '../../src/core/answers.js';
import { completeAnswers } from '../../src/core/complete-answers.js';
import { UsageError } from '../../src/core/errors.js';

const COMPLETE: Answers = {
  organization: 'ingen', mspId: 'ingen', hostDomain: 'example.com', subdomain: 'api', ingress: true,
  hostname: 'api.example.com', defaultDomain: 'https://api.example.com:443', allowedHosts: ['.example.com'],
  orchestratorHost: 'orchestrator.example.com', orchestratorPort: 443, sameCluster: false,
  channels: [{ name: 'c1', restricted: false, modelExport: false }], tls: true, caCertName: 'orchestrator-cacert',
  mtls: false, clientCertSecret: 'orchestrator-client-cert', users: [], incoming: [], outgoing: [],
};

const problemsOf = (partial: PartialAnswers): string[] => {
  try {
    completeAnswers(partial);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).problems;
  }
  throw new Error('completeAnswers accepted incomplete answers');
};

describe('completeAnswers: the checked step from the answers gathered to a complete set', () => {
  it('returns a complete set as it is (a copy), optional settings left unset', () => {
    const answers = completeAnswers(COMPLETE);
    expect(answers).toEqual(COMPLETE);
    expect(answers).not.toBe(COMPLETE);
  });

  it('names the settings that must be given, in the guide order, with their flag and variable', () => {
    expect(problemsOf({ ...COMPLETE, organization: undefined, orchestratorHost: undefined, channels: [] })).toEqual([
      'missing --organization (required when not interactive), or set SUBSTRA_ORGANIZATION',
      'missing --orchestrator-host (required when not interactive), or set SUBSTRA_ORCHESTRATOR_HOST',
      'missing --channel (at least one is required when not interactive)',
    ]);
  });

  it('does not name a derived setting missing only because its source is (the MSP ID without the organization)', () => {
    expect(problemsOf({ ...COMPLETE, organization: undefined, mspId: undefined, hostname: undefined })).toEqual([
      'missing --organization (required when not interactive), or set SUBSTRA_ORGANIZATION',
    ]);
  });

  it('names a derived setting or list that is missing on its own, instead of letting it through', () => {
    expect(problemsOf({ ...COMPLETE, mspId: undefined, orchestratorPort: undefined, users: undefined })).toEqual([
      'missing --msp-id (or set SUBSTRA_MSP_ID)',
      'missing --orchestrator-port (or set SUBSTRA_ORCHESTRATOR_PORT)',
      'missing --user (or set SUBSTRA_USERS)',
    ]);
  });
});
