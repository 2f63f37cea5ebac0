/**
 * Who may talk to the console: a CSRF token on every state-changing request, a Host check
 * (a web page elsewhere cannot reach a loopback console by DNS rebinding), and HTTP basic auth
 * whenever a password is set (required when bound beyond loopback).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost' || host.startsWith('127.');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class RequestGuard {
  readonly csrfToken = randomBytes(24).toString('base64url');

  constructor(
    private readonly bindHost: string,
    private readonly password: string | undefined,
  ) {}

  /** Undefined when allowed; otherwise the status and reason to answer with. */
  admit(request: IncomingMessage): { status: number; message: string; challenge?: boolean } | undefined {
    if (isLoopback(this.bindHost)) {
      const host = (request.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
      if (!isLoopback(host)) return { status: 421, message: `unexpected Host header ${host}` };
    }
    if (this.password !== undefined) {
      const header = request.headers.authorization ?? '';
      const match = /^Basic (.+)$/i.exec(header);
      const decoded = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
      const given = decoded.slice(decoded.indexOf(':') + 1);
      if (!match || !sameSecret(given, this.password)) {
        return { status: 401, message: 'password required', challenge: true };
      }
    }
    return undefined;
  }

  /** A state-changing request must carry the token in a header or a form field. */
  csrfOk(request: IncomingMessage, body: Record<string, unknown>): boolean {
    const sent = request.headers[CSRF_HEADER] ?? body[CSRF_FIELD];
    return typeof sent === 'string' && sameSecret(sent, this.csrfToken);
  }
}
