import type { Issue } from './errors.js';
import type { ManagedValues } from './schema.js';
import { formatPath } from './schema.js';
import { channelList, isRestricted } from './values-shape.js';

export interface OrchestratorChannel {
  name: string;
  organizations: string[];
}

/** Reads `channels: [{name, organizations: [mspID…]}]` from the orchestrator chart's values. */
export function orchestratorChannels(values: unknown, file: string): { channels: OrchestratorChannel[]; errors: Issue[] } {
  const errors: Issue[] = [];
  const channels: OrchestratorChannel[] = [];
  const raw = (values as { channels?: unknown } | null)?.channels;
  if (!Array.isArray(raw)) {
    errors.push({ path: `${file}: channels`, message: 'must be a list of {name, organizations} (the orchestrator chart\'s channels)' });
    return { channels, errors };
  }
  raw.forEach((entry: unknown, i) => {
    const e = entry as { name?: unknown; organizations?: unknown } | null;
    if (!e || typeof e.name !== 'string' || !Array.isArray(e.organizations) || !e.organizations.every((o) => typeof o === 'string')) {
      errors.push({ path: `${file}: channels[${i}]`, message: 'must be {name: CHANNEL, organizations: [mspID, …]}' });
      return;
    }
    channels.push({ name: e.name, organizations: e.organizations as string[] });
  });
  return { channels, errors };
}

/** The backend's channels must exist on the orchestrator with this organization as a member. */
export function crossCheckOrchestrator(values: ManagedValues, known: OrchestratorChannel[]): Issue[] {
  const issues: Issue[] = [];
  const mspID = values.orchestrator.mspID;
  channelList(values).forEach(({ name, settings }, i) => {
    const path = formatPath(['orchestrator', 'channels', i, name]);
    const there = known.find((c) => c.name === name);
    if (!there) {
      const names = known.map((c) => c.name).join(', ') || 'none';
      issues.push({ path, message: `channel "${name}" does not exist on the orchestrator (its channels: ${names})` });
      return;
    }
    if (!there.organizations.includes(mspID)) {
      issues.push({
        path,
        message: `mspID "${mspID}" is not a member of channel "${name}" on the orchestrator (members: ${there.organizations.join(', ') || 'none'}); add it there or fix orchestrator.mspID`,
      });
    }
    const others = there.organizations.filter((o) => o !== mspID);
    if (isRestricted(name, settings) && others.length > 0) {
      issues.push({
        path: `${path}.restricted`,
        message: `channel "${name}" is restricted${settings.restricted ? '' : ' (every solo-* channel is)'} but has other members on the orchestrator (${others.join(', ')}); the backend refuses to start`,
      });
    }
  });
  return issues;
}
