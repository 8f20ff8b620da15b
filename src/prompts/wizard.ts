import type { AccountAnswer, AccountKind, ChannelAnswer, ListKey, PartialAnswers, ScalarKey } from '../core/answers.js';
import { SETTINGS, settingFor, settingsBySection, valueAt, type ValuesLike } from '../core/questions.js';
import { generateSecret } from '../core/generate.js';
import type { SettingsMode } from '../core/password.js';
import type { PasswordChecker } from '../core/validate.js';
import type { Setting } from '../core/questions.js';
import * as rules from '../core/rules.js';
import { generatedLabel } from '../core/specs.js';
import { existsSync } from 'node:fs';
import type { Prompter, SelectChoice } from './prompter.js';

/**
 * The interactive questions; each asks only what the caller found missing. Spaces pasted
 * around a typed name, host or port are not part of it (one inside is still refused).
 */
const asValidator = (rule: rules.Rule, extra?: (v: string) => string | undefined) => (typed: string) => {
  const value = typed.trim();
  return rule(value) ?? extra?.(value) ?? true;
};
const typedText = async (answer: Promise<string>) => (await answer).trim();

export async function askScalar(prompter: Prompter, setting: Setting, fallback: unknown): Promise<unknown> {
  if (setting.type === 'boolean') {
    return prompter.confirm({ message: setting.prompt, default: fallback === undefined ? undefined : Boolean(fallback) });
  }
  const answer = await typedText(
    prompter.text({
      message: setting.prompt,
      default: fallback === undefined ? undefined : String(fallback),
      validate: (value) => (setting.optional && value.trim() === '' ? true : asValidator(setting.rule)(value)),
    }),
  );
  if (setting.optional && answer === '') return undefined;
  return setting.type === 'port' ? Number(answer) : answer;
}

export async function askChannels(prompter: Prompter, existing: ChannelAnswer[]): Promise<ChannelAnswer[]> {
  const channels = [...existing];
  do {
    const name = await typedText(
      prompter.text({
        message: channels.length ? 'Channel name' : 'Channel name (a channel on the orchestrator)',
        validate: asValidator(rules.channelName, (v) => (channels.some((c) => c.name === v) ? `channel "${v}" is already listed` : undefined)),
      }),
    );
    const restricted = await prompter.confirm({ message: `Is "${name}" restricted to this organization alone?`, default: false });
    const modelExport = await prompter.confirm({ message: `May users download models trained on "${name}"?`, default: false });
    channels.push({ name, restricted, modelExport });
  } while (await prompter.confirm({ message: 'Add another channel?', default: false }));
  return channels;
}

const shownValue = (value: unknown): string =>
  value === undefined ? '(not set)' : typeof value === 'boolean' ? (value ? 'yes' : 'no') : Array.isArray(value) ? value.join(', ') : String(value);

const channelLine = (c: ChannelAnswer) => {
  const traits = [c.restricted ? 'restricted' : '', c.modelExport ? 'model export' : ''].filter(Boolean);
  return traits.length ? `${c.name} (${traits.join(', ')})` : c.name;
};

/** What a list holds, one line per entry, never a secret; the wizard changes lists after the review menu. */
function listLines(key: ListKey, answers: PartialAnswers): string[] {
  if (key === 'channels') return (answers.channels ?? []).map(channelLine);
  if (key === 'users') return (answers.users ?? []).map((u) => (u.channel ? `${u.name} (${u.channel})` : u.name));
  if (key === 'incoming' || key === 'outgoing') return (answers[key] ?? []).map((a) => `${key}: ${a.name}`);
  return [];
}

type ReviewKey = ScalarKey | 'allowedHosts';

/**
 * The review menu: what the file holds, grouped under the guide's headings in its order (from
 * the settings table's sections). Scalar settings and the allowed hosts can be chosen to change;
 * channels and accounts are shown: the questions that follow add channels, and keep, remove or
 * add accounts.
 */
export function reviewChoices(answers: PartialAnswers): Array<SelectChoice<ReviewKey | 'done'>> {
  const values = answers as Record<string, unknown>;
  const choices: Array<SelectChoice<ReviewKey | 'done'>> = [{ name: 'Done: keep the rest as it is', value: 'done' }];
  for (const { title, keys } of settingsBySection()) {
    const lines: Array<SelectChoice<ReviewKey | 'done'>> = [];
    for (const key of keys) {
      if (key === 'allowedHosts') lines.push({ name: `Allowed hosts: ${shownValue(answers.allowedHosts)}`, value: key });
      else if (key === 'channels' || key === 'users' || key === 'incoming' || key === 'outgoing') {
        lines.push(...listLines(key, answers).map((line) => ({ separator: `   ${line}` })));
      } else {
        const setting = settingFor(key);
        if (setting.relevant && !setting.relevant(answers)) continue;
        lines.push({ name: `${setting.prompt.replace(/\?$/, '')}: ${shownValue(values[key])}`, value: setting.key });
      }
    }
    choices.push({ separator: `── ${title}` }, ...(lines.length ? lines : [{ separator: '   (none)' }]));
  }
  return choices;
}

/**
 * Editing a file: shows what it holds and lets the operator change any setting, one at a time,
 * until done. Returns the answers with the changes and the keys changed (given this run, so
 * nothing re-derives them); the answers passed in stay as they were.
 */
export async function reviewSettings(prompter: Prompter, file: string, before: PartialAnswers): Promise<{ answers: PartialAnswers; changed: ReviewKey[] }> {
  const changed = new Set<ReviewKey>();
  const answers: PartialAnswers = { ...before };
  const values = answers as Record<string, unknown>;
  for (;;) {
    const choices = reviewChoices(answers);
    const key = await prompter.select<ReviewKey | 'done'>({ message: `${file} holds these settings. Change one?`, choices, default: 'done', pageSize: choices.length });
    if (key === 'done') return { answers, changed: [...changed] };
    const relevantBefore = new Set(SETTINGS.filter((s) => !s.relevant || s.relevant(answers)).map((s) => s.key));
    if (key === 'allowedHosts') answers.allowedHosts = await askAllowedHosts(prompter, answers.allowedHosts ?? []);
    else values[key] = await askScalar(prompter, settingFor(key), values[key]);
    changed.add(key);
    // What the change brings into play and the file lacks (TLS on: the CA object, mTLS) is
    // asked now, in the guide's order: left out, the chart's empty default would be written.
    for (const setting of SETTINGS) {
      if (relevantBefore.has(setting.key) || !setting.relevant?.(answers) || values[setting.key] !== undefined) continue;
      values[setting.key] = await askScalar(prompter, setting, setting.suggest?.(answers) ?? setting.default?.(answers));
      changed.add(setting.key);
    }
  }
}

/** ALLOWED_HOSTS, as a comma-separated line with the derived list as its default. */
export async function askAllowedHosts(prompter: Prompter, derived: string[]): Promise<string[]> {
  const answer = await prompter.text({
    message: 'Hosts the backend answers for (ALLOWED_HOSTS; ".domain" covers every name under it), comma-separated',
    default: derived.join(', '),
    validate: (value) => {
      const hosts = value.split(',').map((h) => h.trim()).filter(Boolean);
      if (hosts.length === 0) return 'name at least one host';
      for (const host of hosts) {
        const problem = rules.allowedHost(host);
        if (problem) return `"${host}" ${problem}`;
      }
      return true;
    },
  });
  return [...new Set(answer.split(',').map((h) => h.trim()).filter(Boolean))];
}

const NOUN: Record<AccountKind, { one: string; ask: string }> = {
  users: { one: 'user', ask: 'Add a user who can log in to the backend?' },
  incoming: { one: 'incoming organization', ask: 'Add an incoming organization (one allowed to call this backend)?' },
  outgoing: { one: 'outgoing organization', ask: 'Add an outgoing organization (one this backend calls)?' },
};

/** Lets the operator drop accounts from the file on purpose; the caller warns about each. */
export async function reviewExisting(
  prompter: Prompter,
  kind: AccountKind,
  fromFile: AccountAnswer[],
  current: AccountAnswer[],
): Promise<{ accounts: AccountAnswer[]; removed: string[] }> {
  const inFile = current.filter((a) => fromFile.some((f) => f.name === a.name));
  if (inFile.length === 0) return { accounts: current, removed: [] };
  const keep = await prompter.checkbox({
    message: `Keep these ${NOUN[kind].one}s from the file? (an unticked one is removed)`,
    choices: inFile.map((a) => ({ name: a.channel ? `${a.name} (${a.channel})` : a.name, value: a.name, checked: true })),
  });
  const removed = inFile.map((a) => a.name).filter((n) => !keep.includes(n));
  return { accounts: current.filter((a) => !removed.includes(a.name)), removed };
}

export async function askSecret(
  prompter: Prompter,
  kind: AccountKind,
  name: string,
  mode: SettingsMode,
  checkPasswords: PasswordChecker,
  /** the target chart's rule for this secret (rules.accountRules): the prompt refuses what validate would */
  secretRule: rules.Rule = rules.secretText,
): Promise<{ secret: string; generated: boolean }> {
  const word = kind === 'users' ? 'password' : 'secret';
  const how = await prompter.select({
    message: `${word[0]?.toUpperCase()}${word.slice(1)} for ${name}`,
    choices: [
      { name: `Generate a strong ${word} (written only into the values file)`, value: 'generate' },
      { name: `Type a ${word}`, value: 'type' },
    ],
    default: 'generate',
  });
  if (how === 'generate') return { secret: generateSecret(), generated: true };
  for (;;) {
    const secret = await prompter.secret({
      message: `${word[0]?.toUpperCase()}${word.slice(1)}`,
      validate: async (value) => {
        const problem = secretRule(value);
        if (problem) return problem;
        if (kind !== 'users') return true;
        const [problems = []] = await checkPasswords([{ password: value, userName: name, mode }]);
        return problems.length ? `the backend would refuse it: ${problems.join('; ')}` : true;
      },
    });
    // A repeat that differs is refused in place (masked, never marked done); an empty one
    // starts over, for an operator who no longer knows what the first one was.
    const again = await prompter.secret({
      message: `Repeat the ${word}`,
      validate: (value) => value === '' || value === secret || `the two ${word}s differ: type it again, or leave it empty and press Enter to start over`,
    });
    if (again === secret) return { secret, generated: false };
  }
}

/** New accounts of one kind, after `existing`; returns them all and the labels of the secrets generated. */
export async function askAccounts(
  prompter: Prompter,
  kind: AccountKind,
  existing: AccountAnswer[],
  channelNames: string[],
  mode: SettingsMode,
  checkPasswords: PasswordChecker,
  /** the target chart's rules for this kind (rules.accountRules): the prompts refuse what validate would */
  fieldRules: { name: rules.Rule; secret: rules.Rule } = { name: kind === 'users' ? rules.userName : rules.identifier, secret: rules.secretText },
): Promise<{ accounts: AccountAnswer[]; generated: string[] }> {
  const accounts = [...existing];
  const generated: string[] = [];
  let more = await prompter.confirm({ message: NOUN[kind].ask, default: kind === 'users' && accounts.length === 0 });
  while (more) {
    const rule = fieldRules.name;
    const name = await typedText(
      prompter.text({
        message: kind === 'users' ? 'User name' : "The other organization's mspID",
        validate: asValidator(rule, (v) => (accounts.some((a) => a.name === v) ? `"${v}" is already listed` : undefined)),
      }),
    );
    const channel =
      kind !== 'users'
        ? undefined
        : channelNames.length === 1
          ? channelNames[0]
          : await prompter.select({ message: `Channel for ${name}`, choices: channelNames.map((c) => ({ name: c, value: c })) });
    const { secret, generated: wasGenerated } = await askSecret(prompter, kind, name, mode, checkPasswords, fieldRules.secret);
    accounts.push({ name, ...(kind === 'users' ? { channel } : {}), secret, origin: wasGenerated ? { kind: 'generated' } : { kind: 'prompt' } });
    if (wasGenerated) generated.push(generatedLabel(kind, name));
    more = await prompter.confirm({ message: `Add another ${NOUN[kind].one}?`, default: false });
  }
  return { accounts, generated };
}

/** The certificate files the caller's flags do not name yet. */
export interface CertificateFiles {
  orchestratorCaCert?: string;
  clientCert?: string;
  clientKey?: string;
}

/**
 * Before deploying from the wizard: asks for the certificate files the values file's TLS needs
 * and `given` lacks; returns only the files named here (an empty answer: already in the cluster).
 */
export async function askCertificateFiles(given: CertificateFiles, values: ValuesLike, ctx: { prompter: () => Prompter }): Promise<CertificateFiles> {
  const tls = (...key: string[]) => valueAt(values, ['orchestrator', 'tls', ...key]);
  const named = (...key: string[]) => {
    const value = tls(...key);
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const cacert = tls('enabled') === true ? named('cacert') : undefined;
  const clientSecret = tls('enabled') === true && tls('mtls', 'enabled') === true ? named('mtls', 'clientCertificate') : undefined;
  const prompter = ctx.prompter();
  const files: CertificateFiles = {};
  const optionalFile = (message: string) =>
    prompter.text({ message, validate: (v) => (v.trim() === '' || existsSync(v.trim()) ? true : `${v.trim()} does not exist`) });
  if (cacert && !given.orchestratorCaCert) {
    const file = (await optionalFile(`Orchestrator CA certificate file (empty if ${cacert} is already in the cluster)`)).trim();
    if (file) files.orchestratorCaCert = file;
  }
  if (clientSecret && !given.clientCert) {
    const cert = (await optionalFile(`Client certificate file (empty if Secret ${clientSecret} is already in the cluster)`)).trim();
    if (cert) {
      files.clientCert = cert;
      files.clientKey = (await prompter.text({ message: 'Client key file', validate: (v) => (existsSync(v.trim()) ? true : `${v.trim()} does not exist`) })).trim();
    }
  }
  return files;
}
