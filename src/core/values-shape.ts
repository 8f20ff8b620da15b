import type { ChannelSettings, ManagedValues } from './schema.js';

/** The part of a substra-backend values file this tool manages, as the chart reads it: the types are the zod schema's (schema.ts). */
export type { ChannelSettings, IncomingEntry, ManagedValues, OutgoingEntry, UserEntry } from './schema.js';

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

/**
 * Link entries (incoming and outgoing organizations) that carry a `channel`: the chart prints
 * it as a third word and the backend's sync Job takes the LAST word as the secret (base_sync.py:
 * `line.rsplit(" ", 1)`), so the account id becomes "MSPID SECRET" and its password the
 * channel name. Read from raw values, so files that fail other rules are still looked at.
 */
export function linkEntriesWithChannel(
  values: unknown,
  keys: { incomingKey: string; outgoingKey: string },
): Array<{ key: string; index: number; kind: 'incoming' | 'outgoing'; name: unknown; channel: unknown }> {
  const accounts = (values as { addAccountOperator?: unknown } | null)?.addAccountOperator;
  if (!accounts || typeof accounts !== 'object') return [];
  const found: ReturnType<typeof linkEntriesWithChannel> = [];
  for (const [kind, key] of [['incoming', keys.incomingKey], ['outgoing', keys.outgoingKey]] as const) {
    const list = (accounts as Record<string, unknown>)[key];
    if (!Array.isArray(list)) continue;
    list.forEach((entry: unknown, index) => {
      if (entry && typeof entry === 'object' && 'channel' in entry) {
        const e = entry as { name?: unknown; channel?: unknown };
        found.push({ key, index, kind, name: e.name, channel: e.channel });
      }
    });
  }
  return found;
}

/** The refusal for each such entry, by path: validate and validate --peers. */
export function linkChannelIssues(values: unknown, keys: { incomingKey: string; outgoingKey: string }): Array<{ path: string; message: string }> {
  return linkEntriesWithChannel(values, keys).map(({ key, index, kind, name }) => ({
    path: `addAccountOperator.${key}[${index}].channel`,
    message: `a link entry names no channel: the chart prints it as a third word and the backend takes the last word as the secret, so calls ${kind === 'incoming' ? 'from' : 'to'} "${String(name)}" will be refused (401); remove the key (substra-deploy link or init --values does)`,
  }));
}

/** A config value holding a JSON list of strings (ALLOWED_HOSTS, CORS…), as the backend's settings json.loads it. */
export function jsonStringList(raw: unknown): string[] | undefined {
  if (typeof raw !== 'string') return undefined;
  try {
    const list: unknown = JSON.parse(raw);
    return Array.isArray(list) && list.every((h) => typeof h === 'string') ? (list as string[]) : undefined;
  } catch {
    return undefined;
  }
}
