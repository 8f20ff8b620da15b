import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { tempDir } from './cli.js';

/**
 * A CA, a client pair signed by it and an unrelated key, made with openssl for the tests. The
 * client certificate's subject is O=ingen (the guide's mspID) unless `clientSubject` says.
 */
export function makeCertificates(clientDays = 365, clientSubject = '/O=ingen/CN=ingen-backend'): { dir: string; ca: string; caKey: string; cert: string; key: string; otherKey: string } {
  const dir = tempDir('certs-');
  const f = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => {
    const r = spawnSync('openssl', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  };
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '365', '-subj', '/O=Orchestrator CA/CN=orchestrator-ca');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('client.key'), '-out', f('client.csr'), '-subj', clientSubject);
  openssl('x509', '-req', '-in', f('client.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('client.pem'), '-days', String(clientDays));
  openssl('genrsa', '-out', f('other.key'), '2048');
  return { dir, ca: f('ca.pem'), caKey: f('ca.key'), cert: f('client.pem'), key: f('client.key'), otherKey: f('other.key') };
}
