#!/usr/bin/env node
// CommonJS on purpose (bin/package.json): `--version` answers without loading the CLI;
// everything else loads the bundled CLI once.
const args = process.argv.slice(2);
const { version } = require('../package.json');

if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${version}\n`);
} else {
  // The CLI with the code cache the build made for it (src/code-cache.ts).
  const { loadBundle } = require('../dist/code-cache.cjs');
  loadBundle(require('node:path').join(__dirname, '..', 'dist', 'main.cjs')).exports.run(version);
}
