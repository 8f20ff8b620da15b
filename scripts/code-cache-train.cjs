'use strict';
// Makes dist/main.cjs.cache and dist/zxcvbn.cjs.cache, the V8 code caches bin/substra-deploy.js
// loads the CLI with and a password check loads zxcvbn with (src/code-cache.ts). Run by
// scripts/build.mjs in a fresh process: it loads each bundle as they are loaded, runs their
// common paths in-process (the CLI: init writing and editing a file, validate, network,
// schema, help; zxcvbn: passwords that reach each of its matchers), then asks V8 for the
// cache, which now holds every function those runs compiled. A run that fails fails the
// build: a cache of a broken path would only hide it.
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { Writable } = require('node:stream');

const dist = path.join(__dirname, '..', 'dist');
const { loadBundle, cacheFileOf, cacheHeader, buildIdOf } = require(path.join(dist, 'code-cache.cjs'));
const bundle = path.join(dist, 'main.cjs');
const loaded = loadBundle(bundle);
const zxcvbnBundle = path.join(dist, 'zxcvbn.cjs');
const zxcvbn = loadBundle(zxcvbnBundle);

const dir = mkdtempSync(path.join(tmpdir(), 'substra-code-cache-'));
const devNull = () => Object.assign(new Writable({ write: (_chunk, _encoding, done) => done() }), { isTTY: false });
// Passwords the runs read from the environment: checked as a real run checks them.
const env = { PATH: process.env.PATH, HOME: dir, CI: 'true', NO_COLOR: '1', ADMIN_PW: 'orbit-cactus-lantern-meadow-1042-Qz' };
const site = ['--organization', 'ingen', '--host-domain', 'cluster-1.example.com', '--orchestrator-host', 'orchestrator.cluster-1.example.com', '--orchestrator-tls'];
writeFileSync(
  path.join(dir, 'network.yaml'),
  [
    'orchestrator: {host: orchestrator.example.com, tls: true}',
    'channels:',
    '  - {name: consortium, members: [ingen, tyrell]}',
    'organizations:',
    '  - {name: ingen, domain: ingen.example.com, users: [{name: admin}]}',
    '  - {name: tyrell, domain: tyrell.example.com, users: [{name: admin}]}',
  ].join('\n') + '\n',
);
const runs = [
  ['init', '--non-interactive', '--output', 'backend-values.yaml', ...site, '--channel', 'c1,model-export', '--channel', 'c2', '--user', 'admin,channel=c1,password-env=ADMIN_PW', '--user', 'analyst,channel=c2', '--generate-passwords'],
  ['init', '--non-interactive', '--values', 'backend-values.yaml', '--user', 'bob,channel=c1', '--generate-passwords'],
  ['validate', 'backend-values.yaml'],
  ['validate', 'backend-values.yaml', '--json'],
  ['network', 'network.yaml', '--output-dir', 'network'],
  ['schema'],
  ['--help'],
  ['init', '--help'],
];

(async () => {
  try {
    for (const argv of runs) {
      const code = await loaded.exports.main({ argv, env, cwd: dir, stdin: process.stdin, stdout: devNull(), stderr: devNull(), version: '0.0.0' });
      if (code !== 0) throw new Error(`substra-deploy ${argv.join(' ')} exited ${code}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Words, names, l33t, keyboard walks, repeats, sequences, years, dates, random strings; with
  // user inputs; scored as the backend scores them (years from 2017).
  zxcvbn.exports.scoring.REFERENCE_YEAR = 2017;
  const passwords = ['correct-Horse-battery-staple-42', 'Tr0ub4dor&3', 'qwertyuiop', 'zxcvbn', 'aaaaaaaa', 'abcdef', '9876', 'jennifer1987', '31.12.1990manchester', 'p@ssw0rd2019', 'Xk9#mQ2$vL7!', 'ingen-admin'];
  for (const password of passwords) zxcvbn.exports.zxcvbn(password, ['admin', 'ingen']);
  for (const [file, made] of [[bundle, loaded], [zxcvbnBundle, zxcvbn]]) {
    const buildId = buildIdOf(readFileSync(file, 'utf8'));
    if (!buildId) throw new Error(`${file} has no build id on its first line`);
    writeFileSync(cacheFileOf(file), Buffer.concat([cacheHeader(buildId), made.cacheNow()]));
  }
})().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
