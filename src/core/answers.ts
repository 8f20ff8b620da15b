/** What the operator decided, before it becomes a values file. */
export interface ChannelAnswer {
  name: string;
  restricted: boolean;
  modelExport: boolean;
  /** the backend never reads chaincode.name; a new channel gets DEFAULT_CHAINCODE, as the CLI contract writes it */
  chaincode?: string;
}

/** The chaincode the contract gives a channel whose spec names none (the chart prints it into CHANNELS; the backend ignores it). */
export const DEFAULT_CHAINCODE = 'mycc';

/** Where a secret came from: it decides how the equivalent command refers to it. */
export type SecretOrigin =
  | { kind: 'env'; variable: string }
  | { kind: 'file'; path: string }
  | { kind: 'values' }
  | { kind: 'prompt' }
  | { kind: 'generated' };

export interface AccountAnswer {
  name: string;
  /** users only: link entries (incoming, outgoing) are {name, secret} */
  channel?: string;
  secret?: string;
  origin?: SecretOrigin;
}

export type AccountKind = 'users' | 'incoming' | 'outgoing';

export interface Answers {
  organization: string;
  mspId: string;
  hostDomain: string;
  /** only derives the defaults of hostname and defaultDomain; written nowhere itself */
  subdomain: string;
  ingress: boolean;
  /** server.ingress.hostname */
  hostname: string;
  /** server.defaultDomain: the URL peers and the backend's own worker call */
  defaultDomain: string;
  /** config.ALLOWED_HOSTS, as the list the JSON string holds */
  allowedHosts: string[];
  /** server.ingress.ingressClassName (unset: the cluster's default class) */
  ingressClass?: string;
  /** the nginx upload size limit annotation (nginx's own default, 1m, refuses most datasets) */
  uploadSize?: string;
  /** HTTPS for the ingress host from cert-manager: this ClusterIssuer */
  clusterIssuer?: string;
  /** HTTPS for the ingress host from an existing kubernetes.io/tls Secret */
  tlsSecret?: string;
  orchestratorHost: string;
  orchestratorPort: number;
  sameCluster: boolean;
  channels: ChannelAnswer[];
  tls: boolean;
  caCertName: string;
  mtls: boolean;
  clientCertSecret: string;
  users: AccountAnswer[];
  incoming: AccountAnswer[];
  outgoing: AccountAnswer[];
}

export type ListKey = 'channels' | 'allowedHosts' | AccountKind;
export type ScalarKey = Exclude<keyof Answers, ListKey>;
export type PartialAnswers = Partial<Answers>;

