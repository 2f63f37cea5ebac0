/**
 * Typed errors. Each carries the Bitrix code, the method, the HTTP status and the description,
 * redacted, and whether repeating the same request may succeed (`retryable`). Bitrix's own codes
 * come in mixed case and legacy CRM methods answer HTTP 400 with `"error": ""` and the message
 * only in the description, so classification keys on the upper-cased code and the status.
 */
import { redact } from './redact.js';

export interface Bitrix24ErrorInit {
  code: string;
  method: string;
  httpStatus?: number;
  description: string;
  retryable?: boolean;
}

export class Bitrix24Error extends Error {
  code: string;
  method: string;
  httpStatus?: number;
  description: string;
  retryable: boolean;

  constructor(init: Bitrix24ErrorInit) {
    const description = redact(init.description);
    const status = init.httpStatus === undefined ? '' : ` (HTTP ${init.httpStatus})`;
    super(redact(`${init.method}: ${init.code || 'error'}${status}: ${description}`));
    this.name = new.target.name;
    this.code = init.code;
    this.method = init.method;
    this.httpStatus = init.httpStatus;
    this.description = description;
    this.retryable = init.retryable ?? false;
  }
}

/** Credentials rejected: NO_AUTH_FOUND, invalid/expired token after a failed refresh, invalid_grant, invalid_client. */
export class AuthError extends Bitrix24Error {}
/** The credentials lack a scope or a permission. */
export class ScopeError extends Bitrix24Error {}
/** QUERY_LIMIT_EXCEEDED / OVERLOAD_LIMIT: refused before running, always safe to repeat. */
export class RateLimitError extends Bitrix24Error {}
/** OPERATION_TIME_LIMIT: this method's operating budget is spent until its basket resets. */
export class OperatingLimitError extends Bitrix24Error {}
export class NotFoundError extends Bitrix24Error {}
export class ArgumentError extends Bitrix24Error {}
/** The portal failed (5xx with a Bitrix body). */
export class ServerError extends Bitrix24Error {}
/** No usable answer: resets, timeouts, HTML pages, malformed or truncated JSON. */
export class TransportError extends Bitrix24Error {}
/**
 * A setting is wrong: a config key, a client option (missing credentials, plain http to a remote
 * portal), a command-line flag. `key` names it (`webhook_url`, `streams.deals.sync_type`, `--port`;
 * '' for a config file as a whole) and the message says the fix. One class for every layer: the
 * client is the lowest that raises it, and the config and the CLI raise this same one. Not a
 * Bitrix24Error, since no portal answered. Redacted: a wrong value may hold a secret.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(redact(message));
  }
}

const AUTH_CODES = new Set([
  'NO_AUTH_FOUND',
  'EXPIRED_TOKEN',
  'INVALID_TOKEN',
  'INVALID_GRANT',
  'INVALID_CLIENT',
  'INVALID_CREDENTIALS',
  'WRONG_AUTH_TYPE',
  'USER_ACCESS_ERROR',
  'PAYMENT_REQUIRED',
  'PORTAL_DELETED',
]);
const SCOPE_CODES = new Set([
  'INSUFFICIENT_SCOPE',
  'INVALID_SCOPE',
  'ACCESS_DENIED',
  'ALLOWED_ONLY_INTRANET_USER',
]);
const NOT_FOUND_CODES = new Set(['NOT_FOUND', 'ERROR_METHOD_NOT_FOUND', 'ERROR_NOT_FOUND']);

/** The typed error for a Bitrix error answer `{error, error_description}`. */
export function errorFromAnswer(
  method: string,
  httpStatus: number | undefined,
  rawCode: unknown,
  rawDescription: unknown,
): Bitrix24Error {
  const code = rawCode === undefined || rawCode === null ? '' : String(rawCode);
  const description = typeof rawDescription === 'string' ? rawDescription : '';
  const upper = code.toUpperCase();
  const init = { code, method, httpStatus, description };
  if (upper === 'QUERY_LIMIT_EXCEEDED' || upper === 'OVERLOAD_LIMIT')
    return new RateLimitError({ ...init, retryable: true });
  if (upper === 'OPERATION_TIME_LIMIT') return new OperatingLimitError({ ...init, retryable: true });
  if (AUTH_CODES.has(upper)) return new AuthError(init);
  if (SCOPE_CODES.has(upper) || /access denied/i.test(description)) return new ScopeError(init);
  if (NOT_FOUND_CODES.has(upper) || /^not found/i.test(description)) return new NotFoundError(init);
  if (httpStatus !== undefined && httpStatus >= 500) return new ServerError({ ...init, retryable: true });
  if (upper === 'INTERNAL_SERVER_ERROR' || upper === 'ERROR_UNEXPECTED_ANSWER') {
    return new ServerError({ ...init, retryable: true });
  }
  return new ArgumentError(init);
}
