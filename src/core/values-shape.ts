import type { ChannelSettings, ManagedValues } from './schema.js';

/** orchestrator.channels is a list of one-key maps; this flattens it to name + settings. */
export function channelList(values: Pick<ManagedValues, 'orchestrator'>): Array<{ name: string; settings: ChannelSettings }> {
  return values.orchestrator.channels.map((entry) => {
    const [name, settings] = Object.entries(entry)[0] as [string, ChannelSettings];
    return { name, settings };
  });
}
