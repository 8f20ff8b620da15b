import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { orchestratorSettings, validateNetworkSpec } from '../../src/core/network-spec.js';
import { defaultClientCASecret, orchestratorChartEdits } from '../../src/core/orchestrator-chart.js';

const spec = (orchestrator: string, organizations = '[{name: ingen, domain: ingen.example.com}, {name: biotechnica, mspID: BiotechnicaMSP, domain: bio.example.com}]') =>
  parse(`orchestrator: ${orchestrator}\nchannels: [{name: shared, members: [ingen, biotechnica]}]\norganizations: ${organizations}\n`);

const editsOf = (orchestrator: string) => {
  const { spec: valid, errors } = validateNetworkSpec(spec(orchestrator));
  expect(errors).toEqual([]);
  return Object.fromEntries(orchestratorChartEdits(orchestratorSettings(valid!)).map((e) => [e.path.join('.'), e.value]));
};

describe('client-CA Secret names', () => {
  it('default to <mspID>-client-ca, lowercase and RFC 1123-safe', () => {
    expect(defaultClientCASecret('BiotechnicaMSP')).toBe('biotechnicamsp-client-ca');
    expect(defaultClientCASecret('My_Org.1')).toBe('my-org-1-client-ca');
    expect(defaultClientCASecret('_x_')).toBe('x-client-ca');
    expect(defaultClientCASecret('A'.repeat(80))).toHaveLength(63);
  });

  it('must not fall on another organization by default when mTLS is on', () => {
    const { errors } = validateNetworkSpec(
      spec('{host: orchestrator.example.com, tls: true, mtls: true}', '[{name: ingen, domain: ingen.example.com}, {name: biotechnica, mspID: Ingen, domain: bio.example.com}]'),
    );
    expect(errors).toEqual([
      { path: 'organizations[0].clientCASecret', message: 'is missing, and its default "ingen-client-ca" is also the client-CA Secret of organizations[1]: give each organization its own (or name the shared one on both)' },
      { path: 'organizations[1].clientCASecret', message: 'is missing, and its default "ingen-client-ca" is also the client-CA Secret of organizations[0]: give each organization its own (or name the shared one on both)' },
    ]);
  });
});

describe('the network file', () => {
  it('refuses a server certificate setting without TLS', () => {
    expect(validateNetworkSpec(spec('{host: orchestrator.example.com, clusterIssuer: ca, tlsSecret: pair}')).errors).toEqual([
      { path: 'orchestrator.tlsSecret', message: 'is for the server certificate, which TLS needs: set orchestrator.tls: true' },
      { path: 'orchestrator.clusterIssuer', message: 'is for the server certificate, which TLS needs: set orchestrator.tls: true' },
    ]);
  });
});

describe('orchestrator chart values', () => {
  it('with mTLS: the mspID check, one client-CA Secret list per mspID, passthrough on the ingress', () => {
    expect(editsOf('{host: orchestrator.example.com, tls: true, mtls: true}')).toEqual({
      'ingress.enabled': true,
      'ingress.hostname': 'orchestrator.example.com',
      'ingress.annotations.nginx.ingress.kubernetes.io/ssl-passthrough': 'true',
      'orchestrator.verifyClientMSPID': true,
      'orchestrator.tls.enabled': true,
      'orchestrator.tls.secrets.pair': 'orchestrator-tls-server-pair',
      'orchestrator.tls.cacert': 'orchestrator-cacert',
      'orchestrator.tls.mtls.enabled': true,
      'orchestrator.tls.mtls.clientCACerts': { ingen: ['ingen-client-ca'], BiotechnicaMSP: ['biotechnicamsp-client-ca'] },
      channels: [{ name: 'shared', organizations: ['ingen', 'BiotechnicaMSP'] }],
    });
  });

  it('without TLS: no certificate settings and no mspID check', () => {
    expect(editsOf('{host: orchestrator.example.com}')).toEqual({
      'ingress.enabled': true,
      'ingress.hostname': 'orchestrator.example.com',
      'ingress.annotations.nginx.ingress.kubernetes.io/ssl-passthrough': 'true',
      'orchestrator.verifyClientMSPID': false,
      'orchestrator.tls.enabled': false,
      'orchestrator.tls.mtls.enabled': false,
      channels: [{ name: 'shared', organizations: ['ingen', 'BiotechnicaMSP'] }],
    });
  });

  it('an in-cluster host (the Service) needs no ingress', () => {
    const edits = editsOf('{host: orchestrator-server.orchestrator, port: 9000, tls: true}');
    expect(edits['ingress.enabled']).toBe(false);
    expect('ingress.hostname' in edits).toBe(false);
  });
});
