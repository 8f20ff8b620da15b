#!/usr/bin/env node
// CommonJS on purpose (bin/package.json): `--version` answers without the ES module loader
// or the CLI; everything else loads the bundled CLI once.
const args = process.argv.slice(2);
const { version } = require('../package.json');

if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${version}\n`);
} else {
  import('../dist/main.js').then(({ run }) => run(version));
}
