import type { Answers, ListKey, PartialAnswers } from './answers.js';
import { UsageError } from './errors.js';
import { LIST_SETTINGS, listSettingFor, PROMPT_ORDER, settingFor } from './questions.js';

/** The answers a values file cannot do without; the optional ones (ingressClass, …) may stay unset. */
type RequiredKey = { [K in keyof Answers]-?: undefined extends Answers[K] ? never : K }[keyof Answers];

/** Every required answer, once: leaving one out, or listing an optional one, does not compile. */
const REQUIRED: Record<RequiredKey, true> = {
  organization: true, mspId: true, hostDomain: true, subdomain: true, ingress: true, hostname: true, defaultDomain: true,
  allowedHosts: true, orchestratorHost: true, orchestratorPort: true, sameCluster: true, channels: true, tls: true,
  caCertName: true, mtls: true, clientCertSecret: true, users: true, incoming: true, outgoing: true,
};
const REQUIRED_KEYS = (Object.keys(REQUIRED) as RequiredKey[]).sort((a, b) => PROMPT_ORDER.indexOf(a) - PROMPT_ORDER.indexOf(b));

// Without a channel the chart silently uses its default one, `mychannel`: an empty list is missing.
const present = (a: PartialAnswers, key: RequiredKey) => (key === 'channels' ? (a.channels?.length ?? 0) > 0 : a[key] !== undefined);

function isComplete(a: PartialAnswers): a is Answers {
  return REQUIRED_KEYS.every((key) => present(a, key));
}

const isListKey = (key: keyof Answers): key is ListKey => LIST_SETTINGS.some((l) => l.key === key);

/**
 * What a run must be told, for the settings it lacks. A setting with a default derived from
 * another (the MSP ID from the organization) is missing only because that one is: it is named
 * only when nothing else explains the gap.
 */
function missingProblems(a: PartialAnswers): string[] {
  const missing = REQUIRED_KEYS.filter((key) => !present(a, key));
  const rooted = missing.flatMap((key) => {
    if (key === 'channels') return ['missing --channel (at least one is required when not interactive)'];
    if (isListKey(key)) return [];
    const setting = settingFor(key);
    return setting.required ? [`missing --${setting.flag} (required when not interactive), or set ${setting.env}`] : [];
  });
  if (rooted.length) return rooted;
  return missing.map((key) => {
    const { flag, env } = isListKey(key) ? listSettingFor(key) : settingFor(key);
    return `missing --${flag} (or set ${env})`;
  });
}

/**
 * The checked step from the answers gathered so far to a complete set: every required answer
 * is there (and at least one channel), or a UsageError names what is missing.
 */
export function completeAnswers(a: PartialAnswers): Answers {
  if (isComplete(a)) return { ...a };
  throw new UsageError(missingProblems(a));
}
