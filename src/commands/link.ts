import { chartProfile } from '../core/chart.js';
import { UsageError, ValidationError, type Issue } from '../core/errors.js';
import { linkOrganizations, pairingIssues, secretChangeIneffective, type OrgLinks } from '../core/link.js';
import { channelList } from '../core/values-shape.js';
import type { ManagedValues } from '../core/schema.js';
import { validateValues } from '../core/validate.js';
import { documentValues, linkEntryRepairs } from '../core/values-doc.js';
import { lockFiles, writeFilesAtomic } from '../io/files.js';
import { accountsOf, backendWrites, effectiveValues, loadBackendFiles, setAccounts, type BackendFiles } from '../app/backend-files.js';
import type { CommandContext } from '../app/context.js';

export interface LinkFlags {
  rotate?: boolean;
  fix?: boolean;
  chartVersion?: string;
}

/** One organization's side of the links, read from its files. */
export function orgLinks(files: BackendFiles): OrgLinks {
  const values = documentValues(files.doc) as Partial<ManagedValues>;
  const mspID = values.orchestrator?.mspID;
  if (typeof mspID !== 'string' || mspID === '') {
    throw new UsageError([`${files.valuesFile}: orchestrator.mspID is not set; links are named by mspID (run substra-deploy init --values ${files.valuesFile})`]);
  }
  const channels = Array.isArray(values.orchestrator?.channels) ? channelList(values as ManagedValues).map((c) => c.name) : [];
  const { incoming, outgoing } = accountsOf(files);
  return { label: files.valuesFile, mspID, channels, incomingKey: files.profile.incomingKey, outgoingKey: files.profile.outgoingKey, incoming, outgoing };
}

export async function loadAll(paths: string[], chartVersion: string | undefined, ctx: CommandContext): Promise<BackendFiles[]> {
  const profile = chartProfile(chartVersion);
  return Promise.all(paths.map((p) => loadBackendFiles(p, profile, ctx.cwd)));
}

/** Writes matching link entries into every file; a second run changes nothing. */
export async function runLink(paths: string[], flags: LinkFlags, ctx: CommandContext): Promise<number> {
  if (new Set(paths).size !== paths.length) throw new UsageError(['link: a file is named twice']);
  if (paths.length < 1) throw new UsageError(['link: name one values file per organization']);
  // Every file stays locked from its first read to the last write.
  const releases = [await lockFiles(paths, ctx.cwd)];
  try {
    return await linkFiles(paths, flags, ctx, releases);
  } finally {
    for (const release of releases.splice(0).reverse()) release();
  }
}

async function linkFiles(paths: string[], flags: LinkFlags, ctx: CommandContext, releases: Array<() => void>): Promise<number> {
  const all = await loadAll(paths, flags.chartVersion, ctx);
  const credentials = all.flatMap((files) => (files.credentialsFile ? [files.credentialsFile] : []));
  if (credentials.length) releases.push(await lockFiles(credentials, ctx.cwd));
  const orgs = all.map(orgLinks);
  let report;
  try {
    report = linkOrganizations(orgs, { rotate: flags.rotate, fix: flags.fix });
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError([error.message]);
    throw error;
  }
  for (const files of all) {
    const repairs = linkEntryRepairs(documentValues(files.credentialsDoc ?? files.doc), files.profile);
    if (repairs.length) report.changed.add(files.valuesFile);
    report.warnings.push(...repairs.map((r) => ({ path: `${files.credentialsFile ?? files.valuesFile}: ${r.path}`, message: r.message })));
  }
  const profile = all[0]?.profile;
  const ineffective = profile && (flags.rotate || report.fixed > 0) ? secretChangeIneffective(profile, 'link secret') : undefined;
  if (ineffective) report.warnings.push({ path: 'link', message: ineffective });
  for (const w of report.warnings) ctx.term.warn(`${w.path}: ${w.message}`);
  ctx.outcome.warn(...report.warnings);
  if (report.mismatches.length) {
    for (const m of report.mismatches) ctx.term.info(`${m.path}: ${m.message}`);
    ctx.term.info('nothing was written: mismatched links are fixed only with --fix');
    ctx.outcome.set({ written: [] });
    throw new ValidationError(report.mismatches, true);
  }
  const errors: Issue[] = [];
  all.forEach((files, i) => {
    const org = orgs[i] as OrgLinks;
    if (report.changed.has(files.valuesFile)) setAccounts(files, { incoming: org.incoming, outgoing: org.outgoing });
  });
  for (const files of all) {
    const check = await validateValues(effectiveValues(files), { profile: files.profile, checkPasswords: ctx.checkPasswords });
    errors.push(...check.errors.map((e) => ({ path: `${files.valuesFile}: ${e.path}`, message: e.message })));
  }
  if (errors.length) {
    for (const e of errors) ctx.term.info(`${e.path}: ${e.message}`);
    throw new ValidationError(errors, true);
  }
  const changed = all.filter((files) => report.changed.has(files.valuesFile));
  // All files or none: a link written on one side only pairs with nothing.
  const writes = changed.flatMap((files) => backendWrites(files).filter((w) => w.file !== files.valuesFile || !files.credentialsFile));
  if (writes.length) for (const warning of (await writeFilesAtomic(writes, ctx.cwd)).warnings) ctx.term.warn(warning);
  const written = writes.map((w) => w.file);
  const summary = `${orgs.length} organization${orgs.length === 1 ? '' : 's'}: ${report.created} link${report.created === 1 ? '' : 's'} created, ${report.kept} kept, ${report.fixed} completed or fixed${flags.rotate ? `, ${report.rotated} rotated` : ''}`;
  if (written.length) ctx.term.success(`linked ${summary}; wrote ${written.join(', ')}`);
  else ctx.term.success(`links already match (${summary}); nothing to write`);
  const { created, kept, fixed, rotated } = report;
  ctx.outcome.set({ organizations: orgs.length, created, kept, fixed, rotated, changed: [...report.changed], written });
  return 0;
}

/** For validate --peers: the links between `main` and each peer, and main with itself. */
export function peerIssues(main: BackendFiles, peers: BackendFiles[]): Issue[] {
  const mainLinks = orgLinks(main);
  return pairingIssues([mainLinks, ...peers.map(orgLinks)], (callee, caller) => callee === mainLinks || caller === mainLinks);
}
