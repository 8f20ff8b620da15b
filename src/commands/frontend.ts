import path from 'node:path';
import type { Document } from 'yaml';
import { chartProfile } from '../core/chart.js';
import { UsageError, ValidationError, type Issue } from '../core/errors.js';
import {
  backendApiUrl,
  backendConfigEdits,
  frontendEdits,
  frontendOrigin,
  frontendPairIssues,
  frontendSettingsFrom,
  type FrontendSettings,
} from '../core/frontend.js';
import { defaultTlsSecret } from '../core/questions.js';
import * as rules from '../core/rules.js';
import { documentValues, holdsSecrets, newValuesDocument, parseValuesDocument, pendingChanges, renderDocument, setValueAt } from '../core/values-doc.js';
import { lockFiles, readEditableFile, resolveTarget, snapshotOf, writeFilesAtomic, type FileSnapshot } from '../io/files.js';
import type { CommandContext } from '../app/context.js';

export interface FrontendFlags {
  backendValues?: string;
  output?: string;
  host?: string;
  tlsSecret?: string;
  clusterIssuer?: string;
  ingressClass?: string;
  nonInteractive?: boolean;
  dryRun?: boolean;
}

export const DEFAULT_FRONTEND_FILE = 'frontend-values.yaml';

type NamedKey = 'host' | 'tlsSecret' | 'clusterIssuer' | 'ingressClass';

/** Each setting of the command: its flag, environment variable and rule. */
const NAMED: Array<{ key: NamedKey; flag: string; env: string; rule: rules.Rule }> = [
  { key: 'host', flag: 'host', env: 'SUBSTRA_FRONTEND_HOST', rule: rules.dnsName },
  { key: 'tlsSecret', flag: 'tls-secret', env: 'SUBSTRA_FRONTEND_TLS_SECRET', rule: rules.objectName },
  { key: 'clusterIssuer', flag: 'cluster-issuer', env: 'SUBSTRA_FRONTEND_CLUSTER_ISSUER', rule: rules.objectName },
  { key: 'ingressClass', flag: 'ingress-class', env: 'SUBSTRA_FRONTEND_INGRESS_CLASS', rule: rules.objectName },
];

interface Loaded {
  file: string;
  doc: Document;
  snapshot: FileSnapshot;
  existed: boolean;
}

async function loadFile(file: string, what: string, ctx: CommandContext, mustExist: boolean): Promise<Loaded> {
  const snapshot = await snapshotOf(file, ctx.cwd);
  if (snapshot.bytes === undefined && !mustExist) {
    const doc = newValuesDocument();
    doc.commentBefore =
      ' Values for the substra-frontend Helm chart, written by substra-deploy frontend.\n' +
      ' Check it with its backend: substra-deploy validate BACKEND-VALUES --frontend <this file>';
    return { file, doc, snapshot, existed: false };
  }
  const read = await readEditableFile(file, what, ctx.cwd);
  return { file, doc: parseValuesDocument(read.text, file), snapshot: read.snapshot, existed: true };
}

/**
 * Writes the substra-frontend chart's values and makes the backend's config agree (CORS with
 * credentials, CSRF), editing the backend file in place: every other byte of it is kept.
 */
export async function runFrontend(flags: FrontendFlags, ctx: CommandContext): Promise<number> {
  const output = flags.output ?? DEFAULT_FRONTEND_FILE;
  const given: Partial<Record<NamedKey, string>> = {};
  const usage: string[] = [];
  for (const s of NAMED) {
    const fromFlag = flags[s.key];
    const value = fromFlag ?? (ctx.env[s.env] || undefined);
    if (value === undefined) continue;
    const problem = s.rule(value);
    if (problem) usage.push(`${fromFlag !== undefined ? `--${s.flag}` : s.env} "${value}": ${problem}`);
    else given[s.key] = value;
  }
  if (usage.length) throw new UsageError(usage);

  if (!ctx.interactive) {
    // Everything missing is named at once; the frontend file may hold the host and TLS already.
    const existing = await loadFile(output, 'frontend values', ctx, false);
    const known = { ...(existing.existed ? frontendSettingsFrom(documentValues(existing.doc)) : {}), ...given };
    const missing = [
      ...(flags.backendValues ? [] : ['backend-values']),
      ...(known.host ? [] : ['host']),
      ...(known.tlsSecret || known.clusterIssuer ? [] : ['tls']),
    ];
    if (missing.length) throw new UsageError(missingProblems(missing));
  }
  const backendFile = flags.backendValues ?? (await ctx.prompter().text({ message: 'Backend values file to read and update', default: 'backend-values.yaml' }));
  if ((await resolveTarget(path.resolve(ctx.cwd, backendFile))) === (await resolveTarget(path.resolve(ctx.cwd, output)))) {
    throw new UsageError([`--output ${output}: is the backend values file; write the frontend's values to a file of their own`]);
  }

  const release = await lockFiles([backendFile, output], ctx.cwd);
  try {
    // Read again under the lock: these are the bytes the edit starts from.
    const frontend = await loadFile(output, 'frontend values', ctx, false);
    const known = { ...(frontend.existed ? frontendSettingsFrom(documentValues(frontend.doc)) : {}), ...given };
    const backend = await loadFile(backendFile, 'backend values', ctx, true);
    const backendValues = documentValues(backend.doc);
    const api = backendApiUrl(backendValues);
    if (!api.url) fail([{ ...(api.problem as Issue), path: `${backendFile}: ${api.problem?.path}` }], ctx);
    const settings = await settle(known, backendValues, ctx);
    const apiUrl = api.url as string;
    const origin = frontendOrigin(settings.host);

    let frontendChanged = !frontend.existed;
    for (const edit of frontendEdits({ ...settings, apiUrl })) frontendChanged = setValueAt(frontend.doc, edit.path, edit.value) || frontendChanged;
    const configEdits = backendConfigEdits(backendValues, origin);
    let backendChanged = false;
    for (const edit of configEdits) backendChanged = setValueAt(backend.doc, edit.path, edit.value) || backendChanged;

    // The files as they would be written must work together, or neither is written.
    const check = frontendPairIssues(documentValues(backend.doc), documentValues(frontend.doc), { backend: backendFile, frontend: output });
    if (check.errors.length) fail(check.errors, ctx, check.warnings);
    for (const w of check.warnings) ctx.term.warn(`${w.path}: ${w.message}`);

    const profile = chartProfile();
    const writes = [
      ...(frontendChanged ? [{ file: output, text: renderDocument(frontend.doc), secret: false, snapshot: frontend.snapshot }] : []),
      ...(backendChanged ? [{ file: backendFile, text: renderDocument(backend.doc), secret: holdsSecrets(documentValues(backend.doc), profile), snapshot: backend.snapshot }] : []),
    ];
    const written = writes.map((w) => w.file);
    if (flags.dryRun) {
      for (const [changed, loaded] of [[frontendChanged, frontend], [backendChanged, backend]] as const) {
        if (!changed) continue;
        const { whole, lines } = pendingChanges(loaded.doc, profile);
        ctx.term.info(ctx.term.color.bold(`${whole ? 'would write' : 'would change'} ${loaded.file}:`));
        for (const line of lines) ctx.term.info(`  ${line}`);
      }
    } else if (writes.length) {
      for (const warning of (await writeFilesAtomic(writes, ctx.cwd)).warnings) ctx.term.warn(warning);
    }
    const verb = flags.dryRun ? 'would write' : 'wrote';
    if (written.length) ctx.term.success(`${verb} ${written.join(' and ')}: the frontend at ${origin} calls ${apiUrl}`);
    else ctx.term.success(`${output} and ${backendFile} already agree: the frontend at ${origin} calls ${apiUrl}; nothing to write`);
    if (backendChanged) ctx.term.info(`${backendFile}: ${configEdits.map((e) => `config.${e.path[1]}`).join(', ')} set for ${origin}; upgrade the backend release for it to take effect`);
    ctx.outcome.set({ dryRun: Boolean(flags.dryRun), frontendFile: output, backendFile, apiUrl, origin, written, backendConfig: configEdits.map((e) => `config.${e.path[1]}`) });
    ctx.outcome.warn(...check.warnings);
    return 0;
  } finally {
    release();
  }
}

function fail(errors: Issue[], ctx: CommandContext, warnings: Issue[] = []): never {
  for (const e of errors) ctx.term.info(`${ctx.term.color.red(e.path)}: ${e.message}`);
  for (const w of warnings) ctx.term.warn(`${w.path}: ${w.message}`);
  ctx.term.info('nothing was written');
  ctx.outcome.warn(...warnings);
  throw new ValidationError(errors, true);
}

function missingProblems(missing: string[]): string[] {
  return missing.map((m) => {
    if (m === 'backend-values') return 'missing --backend-values (the backend values file to read and update; required when not interactive)';
    if (m === 'host') return 'missing --host (the frontend host, under the backend\'s server.commonHostDomain; required when not interactive) [env: SUBSTRA_FRONTEND_HOST]';
    return 'missing --tls-secret or --cluster-issuer (the frontend must be served over https: the backend\'s login cookies are Secure; required when not interactive)';
  });
}

/** The settings, asking in a terminal for what flags, environment and the file left open. */
async function settle(known: Partial<Record<NamedKey, string>>, backend: Record<string, unknown>, ctx: CommandContext): Promise<Omit<FrontendSettings, 'apiUrl'>> {
  let { host, tlsSecret, clusterIssuer } = known;
  const domain = (backend.server as { commonHostDomain?: unknown } | undefined)?.commonHostDomain;
  const validate = (rule: rules.Rule) => (value: string) => rule(value) ?? true;
  if (!host) {
    host = await ctx.prompter().text({
      message: 'Frontend host',
      default: typeof domain === 'string' && domain ? `substra.${domain}` : undefined,
      validate: validate(rules.dnsName),
    });
  }
  if (!tlsSecret && !clusterIssuer) {
    const how = await ctx.prompter().select<'issuer' | 'secret'>({
      message: 'The frontend is served over https: where does its certificate come from?',
      choices: [
        { name: 'cert-manager makes it (a ClusterIssuer)', value: 'issuer' },
        { name: 'an existing kubernetes.io/tls Secret', value: 'secret' },
      ],
    });
    if (how === 'issuer') clusterIssuer = await ctx.prompter().text({ message: 'ClusterIssuer name', default: 'letsencrypt-prod', validate: validate(rules.objectName) });
    else tlsSecret = await ctx.prompter().text({ message: 'TLS Secret name', default: defaultTlsSecret(host), validate: validate(rules.objectName) });
  }
  return { host, tlsSecret: tlsSecret ?? defaultTlsSecret(host), clusterIssuer, ingressClass: known.ingressClass };
}
