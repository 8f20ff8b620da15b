#!/usr/bin/env node
// Start-up benchmark: medians of whole-process runs, each as a ratio to `node -e 0` measured
// in the same run (so a slow or busy machine moves both). Not a test: it prints, never fails.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'substra-deploy.js');
const runs = Number(process.env.BENCH_RUNS ?? 21);
const dir = mkdtempSync(path.join(tmpdir(), 'substra-bench-'));

const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  CI: 'true',
  ADMIN_PW: 'correct-Horse-battery-staple-42',
  ANALYST_PW: 'Another-strong-Passw0rd-here',
};

function bigValuesFile(users) {
  // Realistic passwords (policy-valid, not random noise) so zxcvbn does its full work.
  const words = ['orbit', 'cactus', 'lantern', 'meadow', 'violet', 'harbor', 'pepper', 'summit', 'glacier', 'copper'];
  const lines = [
    'organizationName: ingen',
    'config:',
    `  ALLOWED_HOSTS: '[".cluster-1.example.com"]'`,
    'server:',
    '  defaultDomain: https://api.cluster-1.example.com:443',
    '  commonHostDomain: cluster-1.example.com',
    '  ingress: {enabled: true, hostname: api.cluster-1.example.com}',
    'orchestrator:',
    '  host: orchestrator.cluster-1.example.com',
    '  port: 443',
    '  mspID: ingen',
    '  channels:',
    '    - our-channel: {restricted: false, model_export_enabled: true, chaincode: {name: mycc}}',
    '  tls: {enabled: true, cacert: orchestrator-cacert}',
    'addAccountOperator:',
    '  users:',
  ];
  for (let i = 0; i < users; i += 1) {
    const pw = `${words[i % 10]}-${words[(i * 3 + 1) % 10]}-${words[(i * 7 + 2) % 10]}-${1000 + i}-Qz`;
    lines.push(`    - {name: user${i}, secret: ${pw}, channel: our-channel}`);
  }
  return `${lines.join('\n')}\n`;
}
writeFileSync(path.join(dir, 'users-200.yaml'), bigValuesFile(200));
// The yardstick for validate: one thread loading zxcvbn and scoring the same 200 passwords.
writeFileSync(
  path.join(dir, 'plain-zxcvbn.cjs'),
  `const z = require(${JSON.stringify(path.join(root, 'node_modules', 'zxcvbn'))});
const text = require('fs').readFileSync(${JSON.stringify(path.join(dir, 'users-200.yaml'))}, 'utf8');
for (const m of text.matchAll(/name: (\\S+), secret: (\\S+),/g)) z(m[2], [m[1]]);
`,
);

// The floor for init with two passwords: what the backend's policy forces any checker to do —
// load zxcvbn 4.4.2 and score the same two passwords, each with its user name — and no more.
writeFileSync(
  path.join(dir, 'floor-zxcvbn.cjs'),
  `const zxcvbn = require(${JSON.stringify(path.join(root, 'node_modules', 'zxcvbn'))});
zxcvbn(${JSON.stringify(env.ADMIN_PW)}, ['admin']);
zxcvbn(${JSON.stringify(env.ANALYST_PW)}, ['analyst']);
`,
);

const INIT_TWO_PASSWORDS = 'init --non-interactive (TLS, 3 channels, 2 users)';
const FLOOR = 'floor: load zxcvbn, score the 2 passwords';

const cases = [
  ['node -e 0', [process.execPath, '-e', '0']],
  ['--version', [process.execPath, bin, '--version']],
  [FLOOR, [process.execPath, path.join(dir, 'floor-zxcvbn.cjs')]],
  [
    INIT_TWO_PASSWORDS,
    [process.execPath, bin, 'init', '--non-interactive', '--force', '--output', path.join(dir, 'out.yaml'),
      '--organization', 'ingen', '--host-domain', 'cluster-1.example.com', '--orchestrator-host', 'orchestrator.cluster-1.example.com',
      '--orchestrator-tls', '--channel', 'c1,model-export', '--channel', 'c2', '--channel', 'c3,restricted',
      '--user', 'admin,channel=c1,password-env=ADMIN_PW', '--user', 'analyst,channel=c2,password-env=ANALYST_PW'],
  ],
  [
    'init, same, passwords generated (no zxcvbn needed)',
    [process.execPath, bin, 'init', '--non-interactive', '--force', '--output', path.join(dir, 'out2.yaml'),
      '--organization', 'ingen', '--host-domain', 'cluster-1.example.com', '--orchestrator-host', 'orchestrator.cluster-1.example.com',
      '--orchestrator-tls', '--channel', 'c1,model-export', '--channel', 'c2', '--channel', 'c3,restricted',
      '--user', 'admin,channel=c1', '--user', 'analyst,channel=c2', '--generate-passwords'],
  ],
  ['validate (200 users)', [process.execPath, bin, 'validate', path.join(dir, 'users-200.yaml')]],
  ['plain zxcvbn pass, 1 thread (200 passwords)', [process.execPath, path.join(dir, 'plain-zxcvbn.cjs')]],
];

function time([cmd, ...args]) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const samples = new Map(cases.map(([name]) => [name, []]));
for (const [, argv] of cases) time(argv); // warm the file cache
// Interleaved, so drift in machine load touches every case alike.
for (let i = 0; i < runs; i += 1) for (const [name, argv] of cases) samples.get(name).push(time(argv));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const base = median(samples.get('node -e 0'));
console.log(`median of ${runs} runs each, node ${process.version}`);
for (const [name] of cases) {
  const m = median(samples.get(name));
  console.log(`${name.padEnd(52)} ${m.toFixed(1).padStart(7)} ms  ${(m / base).toFixed(2)}×`);
}
const ratio = (a, b) => median(samples.get(a)) / median(samples.get(b));
console.log(`--version / node -e 0: ${ratio('--version', 'node -e 0').toFixed(2)}× (goal ≤ 1.20×)`);
console.log(`${INIT_TWO_PASSWORDS} / ${FLOOR}: ${ratio(INIT_TWO_PASSWORDS, FLOOR).toFixed(2)}× (goal ≤ 1.25×)`);
const validate = median(samples.get('validate (200 users)'));
const plain = median(samples.get('plain zxcvbn pass, 1 thread (200 passwords)'));
console.log(`validate (200 users) / plain zxcvbn pass: ${(validate / plain).toFixed(2)}×`);

// network: 30 organizations on one shared channel, one user each: 900 link entries.
const orgs = Array.from({ length: 30 }, (_, i) => `org${String(i).padStart(2, '0')}`);
writeFileSync(
  path.join(dir, 'network-30.yaml'),
  [
    'orchestrator: {host: orchestrator.example.com, tls: true}',
    'channels:',
    `  - {name: consortium, members: [${orgs.join(', ')}]}`,
    'organizations:',
    ...orgs.map((o) => `  - {name: ${o}, domain: ${o}.example.com, users: [{name: admin}]}`),
  ].join('\n') + '\n',
);
const networkRuns = [];
for (let i = 0; i < Math.min(runs, 5); i += 1) {
  const out = mkdtempSync(path.join(dir, 'net-'));
  networkRuns.push(time([process.execPath, bin, 'network', path.join(dir, 'network-30.yaml'), '--output-dir', out]));
}
console.log(`${'network, 30 organizations (900 link entries), fresh'.padEnd(52)} ${median(networkRuns).toFixed(1).padStart(7)} ms`);
rmSync(dir, { recursive: true, force: true });
