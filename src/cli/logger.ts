/**
 * The connector's logger: JSON lines on stderr (fd 2), never stdout, because in Singer mode stdout
 * belongs to the target. Every secret handed in (webhook code, tokens, client secret) is replaced
 * in the serialized line, so a secret slipping into a message or a field cannot reach the log.
 */
import { pino } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export type LogFields = Record<string, unknown>;

/** Satisfies both the streams' `StreamLogger` and the client's `ClientLogger` (message first). */
export interface TapLogger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** The last word of a failed run; Singer tooling looks for a CRITICAL line before a non-zero exit. */
  critical(msg: string, fields?: LogFields): void;
  /** Singer metric (`METRIC: {...}`), logged at info. */
  metric(metric: { type: 'counter' | 'timer'; metric: string; value: number; tags: LogFields }): void;
}

export interface LoggerOptions {
  level?: LogLevel;
  secrets?: readonly string[];
  /** Where lines go; fd 2 unless a test wants them elsewhere. */
  destination?: NodeJS.WritableStream;
}

const REDACTED = '[REDACTED]';

/** Secrets shorter than this would redact ordinary words; real webhook codes and tokens are longer. */
const MIN_SECRET_LENGTH = 6;

export function createLogger(options: LoggerOptions = {}): TapLogger {
  const secrets = expandSecrets(options.secrets ?? []);
  const base = pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label === 'fatal' ? 'CRITICAL' : label.toUpperCase() }),
      },
      hooks: {
        streamWrite: (line) => redact(line, secrets),
      },
    },
    options.destination ?? pino.destination({ fd: 2, sync: true }),
  );
  return {
    debug: (msg, fields) => base.debug(fields ?? {}, msg),
    info: (msg, fields) => base.info(fields ?? {}, msg),
    warn: (msg, fields) => base.warn(fields ?? {}, msg),
    error: (msg, fields) => base.error(fields ?? {}, msg),
    critical: (msg, fields) => base.fatal(fields ?? {}, `CRITICAL ${msg}`),
    metric: (metric) => base.info({}, `METRIC: ${JSON.stringify(metric)}`),
  };
}

/** The secret parts of a config: the webhook's code, OAuth client secret and tokens. */
export function configSecrets(config: {
  webhook_url?: string;
  oauth?: { client_secret?: string; refresh_token?: string };
}): string[] {
  const secrets: string[] = [];
  if (config.webhook_url) {
    const code = webhookCode(config.webhook_url);
    if (code) secrets.push(code);
  }
  if (config.oauth?.client_secret) secrets.push(config.oauth.client_secret);
  if (config.oauth?.refresh_token) secrets.push(config.oauth.refresh_token);
  return secrets;
}

/** `https://portal/rest/1/CODE/` → `CODE`. */
export function webhookCode(webhookUrl: string): string | undefined {
  const match = /\/rest\/\d+\/([^/?#]+)/.exec(webhookUrl);
  return match?.[1];
}

function expandSecrets(secrets: readonly string[]): string[] {
  const all = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    all.add(secret);
    // The same secret as it appears inside a JSON string or a URL.
    all.add(JSON.stringify(secret).slice(1, -1));
    all.add(encodeURIComponent(secret));
  }
  // Longest first, so a secret containing another is replaced whole.
  return [...all].sort((a, b) => b.length - a.length);
}

function redact(line: string, secrets: readonly string[]): string {
  let out = line;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}
