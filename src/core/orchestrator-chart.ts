import { isInClusterName } from './hosts.js';
import { valueAt, type ValuesLike } from './questions.js';

/**
 * The orchestrator chart's values (Substra/orchestrator, charts/orchestrator 8.8.0) for a
 * whole network: where each setting lives and what it must hold for every backend of the
 * network to reach it. Nothing here reads or writes files.
 */

/**
 * ingress-nginx hands the TCP stream to the orchestrator pod by SNI, so the pod ends TLS and
 * sees the client certificate mTLS needs; terminated at the ingress, gRPC would not get it.
 */
export const SSL_PASSTHROUGH_ANNOTATION = 'nginx.ingress.kubernetes.io/ssl-passthrough';

/** The chart's own default for orchestrator.tls.secrets.pair (tls.crt, tls.key). */
export const DEFAULT_SERVER_PAIR_SECRET = 'orchestrator-tls-server-pair';

/**
 * The Secret holding an organization's client CA (key ca.crt) in the orchestrator's namespace,
 * when the network file names none: `<mspID>-client-ca`, lowercase, as an RFC 1123 name.
 */
export function defaultClientCASecret(mspID: string): string {
  const base = mspID
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const suffix = '-client-ca';
  return `${base.slice(0, 63 - suffix.length).replace(/-+$/, '') || 'org'}${suffix}`;
}

export interface OrchestratorSettings {
  host: string;
  tls: boolean;
  mtls: boolean;
  /** the Secret holding the CA as ca.crt: the probes trust it, and with mTLS clients signed by it */
  caSecret: string;
  /** the server key pair Secret (tls.crt, tls.key) */
  serverPairSecret: string;
  /** a cert-manager ClusterIssuer that makes the server pair (createCertificates) */
  clusterIssuer?: string;
  ingressClass?: string;
  /** mspID → the Secrets holding the CAs that sign that organization's client certificates */
  clientCAs: Array<{ mspID: string; secrets: string[] }>;
  channels: Array<{ name: string; organizations: string[] }>;
}

export interface ValueEdit {
  path: string[];
  value: unknown;
}

/**
 * Every value the network decides, in the order a new file lays them out. `current` (the
 * file as it is) only decides whether a cert-manager block the network file dropped is turned off.
 */
export function orchestratorChartEdits(s: OrchestratorSettings, current: ValuesLike = {}): ValueEdit[] {
  const edits: ValueEdit[] = [];
  const set = (path: string[], value: unknown) => edits.push({ path, value });
  // An in-cluster host is the orchestrator's Service, reached without an ingress.
  const viaIngress = !isInClusterName(s.host);
  set(['ingress', 'enabled'], viaIngress);
  if (viaIngress) {
    // Also the name the chart's probes ask the server certificate for (-tls-server-name).
    set(['ingress', 'hostname'], s.host);
    if (s.ingressClass) set(['ingress', 'ingressClassName'], s.ingressClass);
    set(['ingress', 'annotations', SSL_PASSTHROUGH_ANNOTATION], 'true');
  }
  // The chart checks the mspID only with TLS and mTLS on (it ANDs the three flags).
  set(['orchestrator', 'verifyClientMSPID'], s.tls && s.mtls);
  set(['orchestrator', 'tls', 'enabled'], s.tls);
  if (s.tls) {
    set(['orchestrator', 'tls', 'secrets', 'pair'], s.serverPairSecret);
    set(['orchestrator', 'tls', 'cacert'], s.caSecret);
    if (s.clusterIssuer) {
      set(['orchestrator', 'tls', 'createCertificates', 'enabled'], true);
      set(['orchestrator', 'tls', 'createCertificates', 'domains'], [s.host]);
      set(['orchestrator', 'tls', 'createCertificates', 'issuer'], s.clusterIssuer);
      set(['orchestrator', 'tls', 'createCertificates', 'issuerKind'], 'ClusterIssuer');
    } else if (valueAt(current, ['orchestrator', 'tls', 'createCertificates', 'enabled']) === true) {
      set(['orchestrator', 'tls', 'createCertificates', 'enabled'], false);
    }
  }
  set(['orchestrator', 'tls', 'mtls', 'enabled'], s.tls && s.mtls);
  if (s.tls && s.mtls) {
    // With verifyClientMSPID each key is read as an mspID, its Secrets as that
    // organization's CAs; the values must be lists (the chart ranges over them).
    set(['orchestrator', 'tls', 'mtls', 'clientCACerts'], Object.fromEntries(s.clientCAs.map((c) => [c.mspID, c.secrets])));
  }
  set(['channels'], s.channels);
  return edits;
}
