#!/usr/bin/env node
// CommonJS on purpose (bin/package.json): `--version` answers without the ES module loader
// or the CLI; everything else loads the bundled CLI once.
const args = process.argv.slice(2);
const { version } = require('../package.json');

if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${version}\n`);
} else {
  // A run that will score passwords has zxcvbn loading in a worker while the CLI starts.
  const passwordWorker = require('../dist/password-warm-up.cjs').startPasswordWorker(args, process.env);
  import('../dist/main.js').then(({ run }) => run(version, passwordWorker));
}
