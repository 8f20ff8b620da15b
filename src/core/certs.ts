import { createPrivateKey, X509Certificate } from 'node:crypto';

/** What a certificate file says about itself, for checks before it goes into the cluster. */
export interface CertificateFacts {
  subject: string;
  organization?: string;
  /** every O of the subject: the orchestrator matches the caller's mspID against any of them */
  organizations: string[];
  commonName?: string;
  validTo: Date;
  daysLeft: number;
}

export const EXPIRY_WARNING_DAYS = 30;

function field(subject: string, key: string): string | undefined {
  for (const line of subject.split('\n')) {
    const [k, ...rest] = line.split('=');
    if (k === key) return rest.join('=');
  }
  return undefined;
}

/**
 * Every value of `key` in Node's subject text: one attribute a line, several joined by " + "
 * in a multi-valued name, special characters escaped with a backslash.
 */
function fields(subject: string, key: string): string[] {
  const values: string[] = [];
  for (const line of subject.split('\n')) {
    for (const part of line.split(/ \+ (?=[A-Za-z0-9.]+=)/)) {
      const at = part.indexOf('=');
      if (part.slice(0, at) === key) values.push(part.slice(at + 1).replace(/\\(.)/g, '$1'));
    }
  }
  return values;
}

/** Reads a PEM certificate, or says why it is not one. */
export function readCertificate(pem: string, now: Date): { facts?: CertificateFacts; problem?: string } {
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    return { problem: pem.includes('PRIVATE KEY') ? 'holds a private key, not a certificate' : 'is not a PEM certificate (no BEGIN CERTIFICATE block)' };
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch (error) {
    return { problem: `is not a readable certificate (${(error as Error).message})` };
  }
  const validTo = new Date(cert.validTo);
  const daysLeft = Math.floor((validTo.getTime() - now.getTime()) / 86_400_000);
  return {
    facts: {
      subject: cert.subject.replace(/\n/g, ', '),
      organization: field(cert.subject, 'O'),
      organizations: fields(cert.subject, 'O'),
      commonName: field(cert.subject, 'CN'),
      validTo,
      daysLeft,
    },
  };
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * A CA file may be one certificate or a bundle (a public CA's, e.g. the system's
 * ca-certificates.crt): the backend reads it whole as ca.crt. A bundle is fine while at
 * least one certificate in it is valid.
 */
export function readCertificateBundle(pem: string, now: Date): { certificates: CertificateFacts[]; expired: number; problem?: string } {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length <= 1) {
    const { facts, problem } = readCertificate(pem, now);
    return { certificates: facts ? [facts] : [], expired: facts && facts.daysLeft < 0 ? 1 : 0, problem };
  }
  const certificates: CertificateFacts[] = [];
  for (const [i, block] of blocks.entries()) {
    const { facts, problem } = readCertificate(block, now);
    if (!facts) return { certificates, expired: 0, problem: `certificate ${i + 1} of ${blocks.length} ${problem}` };
    certificates.push(facts);
  }
  const expired = certificates.filter((c) => c.daysLeft < 0).length;
  if (expired === certificates.length) return { certificates, expired, problem: `every one of its ${certificates.length} certificates has expired` };
  return { certificates, expired };
}

/** Problems of an expiry date: an error once expired, a warning when near. */
export function expiryNote(facts: CertificateFacts): { problem?: string; warning?: string } {
  const date = facts.validTo.toISOString().slice(0, 10);
  if (facts.daysLeft < 0) return { problem: `expired on ${date}` };
  if (facts.daysLeft <= EXPIRY_WARNING_DAYS) return { warning: `expires on ${date}, in ${facts.daysLeft} days` };
  return {};
}

/** Whether the key file is the private key of the certificate (an mTLS pair that works). */
export function keyMatchesCertificate(certPem: string, keyPem: string): { matches: boolean; problem?: string } {
  let key;
  try {
    key = createPrivateKey(keyPem);
  } catch (error) {
    const message = (error as Error).message;
    return { matches: false, problem: /passphrase/i.test(message) ? 'is encrypted; give an unencrypted key' : `is not a readable private key (${message})` };
  }
  try {
    return { matches: new X509Certificate(certPem).checkPrivateKey(key) };
  } catch (error) {
    return { matches: false, problem: `could not be compared with the certificate (${(error as Error).message})` };
  }
}
