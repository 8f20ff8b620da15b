#!/usr/bin/env node
// Kept tiny: `--version` answers without loading the CLI, everything else loads it once.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const version = () => JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${version()}\n`);
} else {
  const { run } = await import('../scratch/dist/main.js');
  await run(version());
}
