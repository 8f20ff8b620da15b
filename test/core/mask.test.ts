import { describe, expect, it } from 'vitest';
import { base64Alignments, encodedValueForms, pemForms, secretForms, secretMasker } from '../../src/core/mask.js';

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
});
