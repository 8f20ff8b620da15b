/** The part of a substra-backend values file this tool manages, as the chart reads it. */
export interface ChannelSettings {
  restricted: boolean;
  model_export_enabled: boolean;
  chaincode?: { name: string };
}
export interface UserEntry {
  name: string;
  secret: string;
  channel: string;
}
export interface IncomingEntry {
  name: string;
  secret: string;
  channel?: string;
}
export interface OutgoingEntry {
  name: string;
  secret: string;
}

export type ManagedValues = {
  settings?: 'prod' | 'dev';
  organizationName: string;
  config: { ALLOWED_HOSTS: string; [key: string]: unknown };
  server: {
    defaultDomain: string;
    commonHostDomain: string;
    ingress?: { enabled?: boolean; hostname?: string; [key: string]: unknown };
    [key: string]: unknown;
  };
  orchestrator: {
    host: string;
    port: number;
    mspID: string;
    sameCluster?: boolean;
    channels: Array<Record<string, ChannelSettings>>;
    tls?: {
      enabled?: boolean;
      cacert?: string | null;
      mtls?: { enabled?: boolean; clientCertificate?: string | null };
    };
  };
  addAccountOperator?: {
    users?: UserEntry[];
    existingSecret?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
};


/** Channels the backend treats as restricted whatever their flag says (health_check_middleware.py). */
export const SOLO_CHANNEL_PREFIX = 'solo-';

export const isRestricted = (name: string, settings: { restricted?: boolean }): boolean =>
  settings.restricted === true || name.startsWith(SOLO_CHANNEL_PREFIX);

/** orchestrator.channels is a list of one-key maps; this flattens it to name + settings. */
export function channelList(values: Pick<ManagedValues, 'orchestrator'>): Array<{ name: string; settings: ChannelSettings }> {
  return values.orchestrator.channels.map((entry) => {
    const [name, settings] = Object.entries(entry)[0] as [string, ChannelSettings];
    return { name, settings };
  });
}
