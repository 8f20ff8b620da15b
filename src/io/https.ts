import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';

/**
 * A small HTTP(S) client for verify: certificates are always verified, against the system's
 * CAs plus, when given, one private CA (Node's global fetch takes no CA option).
 */
export interface HttpAnswer {
  status: number;
  /** the Location of a redirect, which is not followed */
  location?: string;
  body: string;
}

export interface HttpRequestInit {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

export type HttpRequest = (url: URL, init?: HttpRequestInit) => Promise<HttpAnswer>;

/** No answer: `code` is Node's (ECONNREFUSED, DEPTH_ZERO_SELF_SIGNED_CERT, ETIMEDOUT…). */
export class NetworkFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'NetworkFailure';
  }
}

/** Far more than any answer verify reads; the rest is dropped. */
const MAX_BODY_CHARACTERS = 1 << 20;

export function httpClient(options: { extraCa?: string; timeoutSeconds: number }): HttpRequest {
  // Passing `ca` replaces Node's default list, so the system's roots go in with the extra CA.
  const ca = options.extraCa ? [...rootCertificates, options.extraCa] : undefined;
  return (url, init = {}) =>
    new Promise<HttpAnswer>((resolve, reject) => {
      const secure = url.protocol === 'https:';
      const headers: Record<string, string> = { ...init.headers };
      if (init.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(init.body));
      let request: http.ClientRequest;
      try {
        request = (secure ? https : http).request(
          url,
          {
            method: init.method ?? 'GET',
            headers,
            // One connection per call, closed after it: nothing keeps the process alive.
            agent: false,
            timeout: options.timeoutSeconds * 1000,
            ...(secure && ca ? { ca } : {}),
          },
          (response) => {
            let body = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => {
              if (body.length < MAX_BODY_CHARACTERS) body += chunk;
            });
            response.on('end', () =>
              resolve({ status: response.statusCode ?? 0, body, ...(typeof response.headers.location === 'string' ? { location: response.headers.location } : {}) }),
            );
            response.on('error', (error) => reject(asFailure(error)));
          },
        );
      } catch (error) {
        // A header Node refuses (a channel name outside ASCII): a failed call, not a crash.
        reject(asFailure(error as Error));
        return;
      }
      request.on('timeout', () => request.destroy(new NetworkFailure('ETIMEDOUT', `no answer within ${options.timeoutSeconds}s`)));
      request.on('error', (error) => reject(asFailure(error)));
      request.end(init.body);
    });
}

function asFailure(error: Error): NetworkFailure {
  if (error instanceof NetworkFailure) return error;
  return new NetworkFailure((error as NodeJS.ErrnoException).code ?? error.name, error.message);
}
