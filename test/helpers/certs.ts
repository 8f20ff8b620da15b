import { spawnSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { tempDir } from './cli.js';

/** The RSA keys the global setup makes once per run (test/helpers/global-setup.ts). */
export const KEY_FILES = ['ca.key', 'client.key', 'other.key'];

/**
 * A CA, a client pair signed by it and an unrelated key, made with openssl for the tests. The
 * client certificate's subject is O=ingen (the guide's mspID) unless `clientSubject` says; the
 * CA is valid `caDays`. Each set has certificates of its own but the run's three RSA keys
 * (making a key costs more than most tests): within a set the CA key, the client key and
 * `otherKey` differ, across sets they are the same.
 */
export function makeCertificates(clientDays = 365, clientSubject = '/O=ingen/CN=ingen-backend', caDays = 365): { dir: string; ca: string; caKey: string; cert: string; key: string; otherKey: string } {
  const dir = tempDir('certs-');
  const f = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => {
    const r = spawnSync('openssl', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  };
  const keys = inject('testKeysDir');
  for (const name of KEY_FILES) copyFileSync(path.join(keys, name), f(name));
  openssl('req', '-x509', '-key', f('ca.key'), '-out', f('ca.pem'), '-days', String(caDays), '-subj', '/O=Orchestrator CA/CN=orchestrator-ca');
  openssl('req', '-new', '-key', f('client.key'), '-out', f('client.csr'), '-subj', clientSubject);
  openssl('x509', '-req', '-in', f('client.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('client.pem'), '-days', String(clientDays));
  return { dir, ca: f('ca.pem'), caKey: f('ca.key'), cert: f('client.pem'), key: f('client.key'), otherKey: f('other.key') };
}

/**
 * Two CAs, each with a server certificate for 127.0.0.1 and localhost: `ca` is the one a test
 * trusts (--ca-cert), `otherCa` one it does not. EC keys: quick to make.
 */
export function makeServerCertificates(): { dir: string; ca: string; server: { cert: string; key: string }; otherCa: string; otherServer: { cert: string; key: string } } {
  const dir = tempDir('server-certs-');
  const f = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => {
    const r = spawnSync('openssl', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  for (const name of ['ca', 'other-ca']) {
    openssl('req', '-x509', ...ec, '-keyout', f(`${name}.key`), '-out', f(`${name}.pem`), '-days', '2', '-subj', `/O=Test/CN=${name}`);
    const server = name === 'ca' ? 'server' : 'other-server';
    openssl('req', ...ec, '-keyout', f(`${server}.key`), '-out', f(`${server}.csr`), '-subj', '/CN=127.0.0.1');
    openssl('x509', '-req', '-in', f(`${server}.csr`), '-CA', f(`${name}.pem`), '-CAkey', f(`${name}.key`), '-CAcreateserial', '-out', f(`${server}.pem`), '-days', '2', '-extfile', f('san.ext'));
  }
  return {
    dir,
    ca: f('ca.pem'),
    server: { cert: f('server.pem'), key: f('server.key') },
    otherCa: f('other-ca.pem'),
    otherServer: { cert: f('other-server.pem'), key: f('other-server.key') },
  };
}
