import { describe, expect, it } from 'vitest';
import { httpClient, NetworkFailure } from '../../src/io/https.js';

describe("verify's HTTP client", () => {
  it('turns a header Node refuses into a failed call, not a crash', async () => {
    const call = httpClient({ timeoutSeconds: 5 })(new URL('http://127.0.0.1:9/'), { headers: { 'Substra-Channel-Name': 'canal-\u{1F600}' } });
    await expect(call).rejects.toBeInstanceOf(NetworkFailure);
    await expect(call).rejects.toMatchObject({ code: 'ERR_INVALID_CHAR' });
  });
});
