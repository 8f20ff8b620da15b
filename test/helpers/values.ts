import type { ManagedValues } from '../../src/core/schema.js';

/** A complete, valid values object as the guide describes it; tests break one thing each. */
export function guideValues(): ManagedValues & Record<string, unknown> {
  return {
    organizationName: 'ingen',
    config: { ALLOWED_HOSTS: '[".cluster-1.example.com"]' },
    server: {
      defaultDomain: 'https://api.cluster-1.example.com:443',
      commonHostDomain: 'cluster-1.example.com',
      ingress: { enabled: true, hostname: 'api.cluster-1.example.com', extraTls: [{ hosts: ['api.cluster-1.example.com'], secretName: 'api-tls' }] },
    },
    orchestrator: {
      host: 'orchestrator.cluster-1.example.com',
      port: 443,
      mspID: 'ingen',
      sameCluster: false,
      channels: [{ 'our-channel': { restricted: false, model_export_enabled: true, chaincode: { name: 'mycc' } } }],
      tls: { enabled: true, cacert: 'orchestrator-cacert', mtls: { enabled: true, clientCertificate: 'orchestrator-client-cert' } },
    },
    addAccountOperator: {
      users: [{ name: 'admin', secret: 'correct-Horse-battery-staple-42', channel: 'our-channel' }],
      incomingOrganizations: [{ name: 'biotechnica', secret: 'Zq3wX7eR9tY2uI5oP8aS1dF' }],
      outgoingOrganizations: [{ name: 'biotechnica', secret: 'Hj6kL9zX2cV5bN8mQ1wE4rT' }],
    },
  };
}
