import path from 'node:path';
import type { Document } from 'yaml';
import type { AccountAnswer, AccountKind, Answers } from '../core/answers.js';
import { chartProfile, type ChartProfile } from '../core/chart.js';
import { UsageError, ValidationError, type Issue } from '../core/errors.js';
import { generateSecret } from '../core/generate.js';
import { linkOrganizations, secretChangeIneffective, type OrgLinks } from '../core/link.js';
import { mspIDOf, organizationAnswers, orchestratorChannelValues, specUsers, validateNetworkSpec, type NetworkSpec } from '../core/network-spec.js';
import { validateValues } from '../core/validate.js';
import { answersFromValues, documentValues, linkEntryRepairs, newValuesDocument, parseValuesDocument, renderDocument } from '../core/values-doc.js';
import { fileExists, readTextFile, writeFileAtomic } from '../io/files.js';
import {
  accountsOf,
  attachCredentials,
  credentialsPathFor,
  DEFAULT_ACCOUNTS_SECRET,
  effectiveValues,
  loadBackendFiles,
  placeAnswers,
  writeBackendFiles,
  type BackendFiles,
} from './backend-files.js';
import type { CommandContext } from './context.js';

export interface NetworkFlags {
  outputDir?: string;
  chartVersion?: string;
  rotate?: boolean;
  fix?: boolean;
  prune?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

interface OrgState {
  files: BackendFiles;
  answers: Answers;
  links: OrgLinks;
  changed: boolean;
}

async function readSpec(file: string, ctx: CommandContext): Promise<NetworkSpec> {
  const doc = parseValuesDocument(await readTextFile(file, 'network spec', ctx.cwd), file);
  const { spec, errors } = validateNetworkSpec(documentValues(doc));
  if (!spec) {
    const located = errors.map((e) => ({ path: `${file}: ${e.path}`, message: e.message }));
    for (const e of located) ctx.term.info(`${e.path}: ${e.message}`);
    throw new ValidationError(located, true);
  }
  return spec;
}

async function organizationFiles(spec: NetworkSpec, org: NetworkSpec['organizations'][number], dir: string, profile: ChartProfile, ctx: CommandContext): Promise<BackendFiles> {
  const file = path.join(dir, org.file ?? `${org.name}-values.yaml`);
  const files = (await fileExists(path.resolve(ctx.cwd, file)))
    ? await loadBackendFiles(file, profile, ctx.cwd)
    : { valuesFile: file, doc: newValuesDocument(), profile };
  if (spec.secretsMode === 'secret' && !files.credentialsDoc) {
    if (!profile.supportsExistingSecret) throw new UsageError([`secretsMode: secret needs chart 26.8.0 or later (the target is ${profile.version})`]);
    await attachCredentials(files, credentialsPathFor(file), DEFAULT_ACCOUNTS_SECRET, ctx.cwd);
  }
  return files;
}

/**
 * Accounts of the file that the spec does not name stay (with a warning) unless --prune:
 * from chart 26.12.0 a dropped entry deletes the account at the next upgrade.
 */
function keepOrPrune(kind: AccountKind, existing: AccountAnswer[], wanted: Set<string>, files: BackendFiles, flags: NetworkFlags, warnings: Issue[]): AccountAnswer[] {
  const kept: AccountAnswer[] = [];
  for (const account of existing) {
    if (wanted.has(account.name)) continue;
    const what = `${kind === 'users' ? 'user' : `${kind} organization`} "${account.name}"`;
    if (flags.prune) {
      warnings.push({
        path: `${files.valuesFile}: addAccountOperator`,
        message: `removed ${what}, which the spec no longer names${files.profile.deletesRemovedAccounts ? `: chart ${files.profile.version} deletes this account at the next upgrade` : ''}`,
      });
    } else {
      kept.push(account);
      warnings.push({ path: `${files.valuesFile}: addAccountOperator`, message: `kept ${what}, which the spec does not name (remove it with --prune)` });
    }
  }
  return kept;
}

export async function runNetwork(specFile: string, flags: NetworkFlags, ctx: CommandContext): Promise<number> {
  const spec = await readSpec(specFile, ctx);
  const profile = chartProfile(flags.chartVersion ?? spec.chartVersion);
  const dir = flags.outputDir ?? '.';
  const warnings: Issue[] = [];
  const generated: string[] = [];
  const mspIDs = new Set(spec.organizations.map(mspIDOf));

  const states: OrgState[] = [];
  for (const org of spec.organizations) {
    const files = await organizationFiles(spec, org, dir, profile, ctx);
    const existing = accountsOf(files);
    const users = specUsers(spec, org).map((u) => {
      const before = existing.users.find((e) => e.name === u.name);
      if (before?.secret) return { ...u, secret: before.secret, origin: before.origin };
      generated.push(`${org.name}/${u.name}`);
      return { ...u, secret: generateSecret(), origin: { kind: 'generated' as const } };
    });
    const hostNotes: Issue[] = [];
    const fromFile = (await fileExists(path.resolve(ctx.cwd, files.valuesFile))) ? answersFromValues(documentValues(files.doc), profile) : {};
    const base = organizationAnswers(spec, org, fromFile, hostNotes);
    warnings.push(...hostNotes.map((n) => ({ path: `${files.valuesFile}: ${n.path}`, message: n.message })));
    const answers: Answers = {
      ...base,
      users: [...users, ...keepOrPrune('users', existing.users, new Set(users.map((u) => u.name)), files, flags, warnings)],
      incoming: [],
      outgoing: [],
    };
    const links: OrgLinks = {
      label: files.valuesFile,
      mspID: base.mspId,
      channels: base.channels.map((c) => c.name),
      incomingKey: profile.incomingKey,
      outgoingKey: profile.outgoingKey,
      incoming: existing.incoming.filter((a) => mspIDs.has(a.name)),
      outgoing: existing.outgoing.filter((a) => mspIDs.has(a.name)),
    };
    answers.incoming = keepOrPrune('incoming', existing.incoming, mspIDs, files, flags, warnings);
    answers.outgoing = keepOrPrune('outgoing', existing.outgoing, mspIDs, files, flags, warnings);
    states.push({ files, answers, links, changed: false });
  }

  const report = linkOrganizations(states.map((s) => s.links), { rotate: flags.rotate, fix: flags.fix });
  if (report.mismatches.length) {
    for (const m of report.mismatches) ctx.term.info(`${m.path}: ${m.message}`);
    ctx.term.info('nothing was written: mismatched links are fixed only with --fix');
    throw new ValidationError(report.mismatches, true);
  }
  warnings.push(...report.warnings);
  const ineffective = flags.rotate || report.fixed > 0 ? secretChangeIneffective(profile, 'link secret') : undefined;
  if (ineffective) warnings.push({ path: 'network', message: ineffective });

  const orchestratorChannels = orchestratorChannelValues(spec);
  const errors: Issue[] = [];
  for (const state of states) {
    state.answers.incoming = [...state.links.incoming, ...state.answers.incoming];
    state.answers.outgoing = [...state.links.outgoing, ...state.answers.outgoing];
    const repairs = linkEntryRepairs(documentValues(state.files.credentialsDoc ?? state.files.doc), profile);
    warnings.push(...repairs.map((r) => ({ path: `${state.files.credentialsFile ?? state.files.valuesFile}: ${r.path}`, message: r.message })));
    state.changed = placeAnswers(state.files, state.answers) || !(await fileExists(path.resolve(ctx.cwd, state.files.valuesFile)));
    const check = await validateValues(effectiveValues(state.files), { profile, orchestratorChannels, checkPasswords: ctx.checkPasswords });
    errors.push(...check.errors.map((e) => ({ path: `${state.files.valuesFile}: ${e.path}`, message: e.message })));
  }
  if (errors.length) {
    for (const e of errors) ctx.term.info(`${e.path}: ${e.message}`);
    throw new ValidationError(errors, true);
  }

  const orchestratorFile = path.join(dir, 'orchestrator-values.yaml');
  const orchestrator = await orchestratorDocument(orchestratorFile, ctx);
  const orchestratorChanged = JSON.stringify(documentValues(orchestrator).channels) !== JSON.stringify(orchestratorChannels);
  if (orchestratorChanged) orchestrator.set('channels', orchestrator.createNode(orchestratorChannels));

  for (const w of warnings) ctx.term.warn(`${w.path}: ${w.message}`);
  const written: string[] = [];
  for (const state of states) {
    if (!state.changed) continue;
    written.push(state.files.valuesFile);
    if (state.files.credentialsFile) written.push(state.files.credentialsFile);
    if (!flags.dryRun) await writeBackendFiles(state.files, ctx.cwd);
  }
  if (orchestratorChanged) {
    written.push(orchestratorFile);
    if (!flags.dryRun) await writeFileAtomic(path.resolve(ctx.cwd, orchestratorFile), renderDocument(orchestrator), 0o644);
  }
  const verb = flags.dryRun ? 'would write' : 'wrote';
  if (written.length) ctx.term.success(`${spec.organizations.length} organizations, ${report.created + report.kept + report.fixed} links: ${verb} ${written.join(', ')}`);
  else ctx.term.success(`${spec.organizations.length} organizations: every file already matches the spec; nothing to write`);
  if (generated.length) ctx.term.info(`generated passwords for ${generated.join(', ')}: they are only in the files written`);
  if (flags.json) {
    ctx.term.out(JSON.stringify({ command: 'network', ok: true, dryRun: Boolean(flags.dryRun), written, warnings, links: { created: report.created, kept: report.kept, fixed: report.fixed, rotated: report.rotated } }, null, 2));
  }
  return 0;
}

async function orchestratorDocument(file: string, ctx: CommandContext): Promise<Document> {
  if (await fileExists(path.resolve(ctx.cwd, file))) return parseValuesDocument(await readTextFile(file, 'orchestrator values', ctx.cwd), file);
  const doc = newValuesDocument();
  doc.commentBefore = ' Values for the orchestrator Helm chart (channels only), written by substra-deploy network.';
  return doc;
}
