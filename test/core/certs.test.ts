import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expiryNote, keyMatchesCertificate, readCertificate, readCertificateBundle } from '../../src/core/certs.js';
import { makeCertificates } from '../helpers/certs.js';

let certs: ReturnType<typeof makeCertificates>;
let shortLived: ReturnType<typeof makeCertificates>;
const pem = (file: string) => readFileSync(file, 'utf8');
const DAY = 86_400_000;

beforeAll(() => {
  certs = makeCertificates();
  shortLived = makeCertificates(10);
});

describe('certificate files', () => {
  it('reads subject, O and CN of a certificate openssl made', () => {
    const { facts } = readCertificate(pem(certs.cert), new Date());
    expect(facts).toMatchObject({ organization: 'ingen', commonName: 'ingen-backend' });
    expect(facts!.daysLeft).toBeGreaterThan(360);
  });

  it('reads every O of a subject, a multi-valued name and escaped characters included (the orchestrator matches the mspID against each)', () => {
    const several = makeCertificates(365, '/O=tyrell/O=ingen/CN=x');
    expect(readCertificate(pem(several.cert), new Date()).facts!.organizations).toEqual(['tyrell', 'ingen']);
    const escaped = makeCertificates(365, '/OU=lab+O=Ingen\\, Inc./CN=x');
    expect(readCertificate(pem(escaped.cert), new Date()).facts!.organizations).toEqual(['Ingen, Inc.']);
    expect(readCertificate(pem(certs.ca), new Date()).facts!.organizations).toEqual(['Orchestrator CA']);
  });

  it('says a key file is a key, and matches a key to its certificate', () => {
    expect(readCertificate(pem(certs.key), new Date()).problem).toBe('holds a private key, not a certificate');
    expect(keyMatchesCertificate(pem(certs.cert), pem(certs.key))).toEqual({ matches: true });
    expect(keyMatchesCertificate(pem(certs.cert), pem(certs.otherKey))).toEqual({ matches: false });
  });

  it('warns 30 days before expiry and refuses once expired', () => {
    const { facts } = readCertificate(pem(shortLived.cert), new Date());
    expect(expiryNote(facts!).warning).toMatch(/^expires on \d{4}-\d\d-\d\d, in \d+ days$/);
    const later = readCertificate(pem(shortLived.cert), new Date(Date.now() + 20 * DAY)).facts!;
    expect(expiryNote(later).problem).toMatch(/^expired on /);
  });

  it('takes a CA bundle (a public CA\'s, as ca.crt) while one of its certificates is valid', () => {
    const bundle = [pem(certs.ca), pem(shortLived.cert), pem(certs.cert)].join('\n');
    const now = readCertificateBundle(bundle, new Date());
    expect(now).toMatchObject({ expired: 0 });
    expect(now.certificates).toHaveLength(3);
    expect(now.problem).toBeUndefined();
    const inAMonth = readCertificateBundle(bundle, new Date(Date.now() + 30 * DAY));
    expect(inAMonth).toMatchObject({ expired: 1 });
    expect(inAMonth.problem).toBeUndefined();
    expect(readCertificateBundle(bundle, new Date(Date.now() + 800 * DAY)).problem).toBe('every one of its 3 certificates has expired');
    expect(readCertificateBundle(`${pem(certs.ca)}\n-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n`, new Date()).problem).toMatch(/^certificate 2 of 2 is not a readable certificate/);
  });
});
