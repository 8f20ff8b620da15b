import { describe, expect, it } from 'vitest';
import { base64Alignments, encodedValueForms, pemForms, secretForms, secretMasker, secretValuesIn } from '../../src/core/mask.js';

const SECRET = 'correct-Horse-battery-staple-42';

describe('masking secrets in tool output', () => {
  it('finds a secret base64-encoded inside a longer value, whatever byte it starts at', () => {
    const mask = secretMasker(secretForms(SECRET));
    for (const before of ['', 'a', 'ab', 'admin ', 'x y z ']) {
      const encoded = Buffer.from(`${before}${SECRET} our-channel\n`).toString('base64');
      const masked = mask(`users: ${encoded}`);
      expect(masked, before).toContain('***');
      // what is left decodes to no 12 characters of the secret
      const left = masked.replace('users: ', '').split('***');
      for (const part of left) for (let k = 0; k < 4; k += 1) expect(Buffer.from(part.slice(k), 'base64').toString('latin1')).not.toContain(SECRET.slice(0, 12));
    }
  });

  it('gives three alignments, each made only of characters that depend on the secret alone', () => {
    const fragments = base64Alignments(SECRET);
    expect(fragments).toHaveLength(3);
    for (let prefix = 0; prefix < 6; prefix += 1) {
      for (const around of ['\u0000', '\u00ff', 'Q']) {
        const encoded = Buffer.from(`${around.repeat(prefix)}${SECRET}${around.repeat(3)}`, 'latin1').toString('base64');
        expect(encoded).toContain(fragments[prefix % 3]);
      }
    }
    expect(base64Alignments('abc')).toEqual([]);
  });

  it('masks a whole encoded value as kubectl writes it, and a JSON-escaped secret', () => {
    const value = `admin ${SECRET} our-channel\n`;
    const mask = secretMasker(encodedValueForms(value));
    expect(mask(`"users": "${Buffer.from(value).toString('base64')}"`)).toBe('"users": "***"');
    expect(secretMasker(secretForms('pa"ss\\word-1234'))('{"secret":"pa\\"ss\\\\word-1234"}')).toBe('{"secret":"***"}');
  });

  it('masks a private key: the PEM block, each body line and the key file encoded whole', () => {
    const body = ['MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj', 'MZ3e3oPqnBv7R8vX2Wq0wJm6k5h3rC0eN9w8Hx4r2LtqQ9Ue0fZl7yVb1JcLkD0m'];
    const pem = `-----BEGIN PRIVATE KEY-----\n${body.join('\n')}\n-----END PRIVATE KEY-----\n`;
    const mask = secretMasker(pemForms(pem));
    expect(mask(pem)).toBe('***');
    expect(mask(`tls.key: ${Buffer.from(pem).toString('base64')}`)).toBe('tls.key: ***');
    expect(mask(`line: ${body[1]}`)).toBe('line: ***');
    expect(mask(body.join(''))).toBe('***');
  });

  it('masks a secret encoded twice (a tool printing base64 of a Secret manifest it got), on one line or wrapped at 76 columns', () => {
    const mask = secretMasker(secretForms(SECRET));
    const manifest = `apiVersion: v1\nkind: Secret\ndata:\n  users: ${Buffer.from(`admin ${SECRET} our-channel\n`).toString('base64')}\n`;
    const twice = Buffer.from(manifest).toString('base64');
    const wrapped = twice.replace(/.{76}/g, '$&\n');
    for (const shown of [twice, wrapped, `error: the object was:\n${wrapped}\nexit status 1`]) {
      const masked = mask(shown);
      const decoded = Buffer.from(masked.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64').toString('latin1');
      expect(Buffer.from(decoded.replace(/.*users: /s, ''), 'base64').toString('latin1')).not.toContain(SECRET.slice(0, 12));
      expect(masked).toContain('***');
    }
    // Plain words on lines of their own are left alone.
    expect(mask('Error: UPGRADE FAILED\nanother line\nRelease backend')).toBe('Error: UPGRADE FAILED\nanother line\nRelease backend');
  });

  it('masks a secret base64-encoded once and wrapped, even where a line break cuts it', () => {
    const mask = secretMasker(secretForms(SECRET));
    for (let shift = 0; shift < 40; shift += 7) {
      const wrapped = Buffer.from(`${'x'.repeat(shift)}secret: ${SECRET}\n`).toString('base64').replace(/.{16}/g, '$&\n');
      const left = mask(wrapped).replace(/\s/g, '');
      for (let k = 0; k < 4; k += 1) expect(Buffer.from(left.slice(k), 'base64').toString('latin1'), String(shift)).not.toContain(SECRET.slice(10, 22));
    }
  });

  it('masks a secret URL-encoded, and as YAML writes it single-quoted', () => {
    const secret = "it's/a+secret&pass=w0rd";
    const mask = secretMasker(secretForms(secret));
    expect(mask(`https://charts.example.com/?token=${encodeURIComponent(secret)}`)).toBe('https://charts.example.com/?token=***');
    expect(mask(`password: '${secret.replace(/'/g, "''")}'`)).toBe("password: '***'");
  });

  it('finds the values of password-like keys anywhere in a values file', () => {
    const values = { database: { auth: { password: 'db-Passw0rd-123' } }, minio: { auth: { rootPassword: 'minio-root-pw' } }, config: { DB_PASSWORD: 123456789 }, users: [{ name: 'a', secret: 's3cr3t-val' }], host: 'x' };
    expect(secretValuesIn(values, /^secret$|pass(?:word|wd)|token|secret_?key/i).sort()).toEqual(['123456789', 'db-Passw0rd-123', 'minio-root-pw', 's3cr3t-val']);
  });
});
