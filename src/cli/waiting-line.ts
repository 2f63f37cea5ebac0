/**
 * A line on stderr while the portal keeps the command waiting: a host that accepts the connection
 * and never answers would otherwise look like a hung command until the request timeout (60 s, then
 * retries). Any sign of life (`touch`) resets the clock.
 */
import { DEFAULT_TIMEOUT_MS } from '../client/index.js';

export interface WaitingLine {
  /** Something happened (an answer, a row, a limit wait): the command is not stuck. */
  touch(): void;
  stop(): void;
}

export interface WaitingLineOptions {
  /** Where the portal is, as host[:port] (never the webhook path: it holds the secret code). */
  host: string;
  write: (line: string) => void;
  /** Seconds of silence before the first line, then between lines. */
  afterSeconds?: number;
  everySeconds?: number;
}

export function waitingLine(options: WaitingLineOptions): WaitingLine {
  const after = (options.afterSeconds ?? 5) * 1000;
  const every = (options.everySeconds ?? 10) * 1000;
  const timeout = Math.round(DEFAULT_TIMEOUT_MS / 1000);
  let since = Date.now();
  let printed = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    if (now - since < after || now - printed < every) return;
    printed = now;
    const seconds = Math.round((now - since) / 1000);
    options.write(
      `waiting for ${options.host} to answer: ${seconds} s so far (a request gives up after ${timeout} s and is retried; Ctrl-C to stop)\n`,
    );
  }, 250);
  timer.unref();
  return {
    touch() {
      since = Date.now();
      printed = 0;
    },
    stop() {
      clearInterval(timer);
    },
  };
}

/** The portal's host[:port] from a config, for the waiting line. */
export function portalHost(config: { webhook_url?: string; oauth?: { portal_url: string } }): string {
  const url = config.webhook_url ?? config.oauth?.portal_url;
  try {
    return url ? new URL(url).host : 'the portal';
  } catch {
    return 'the portal';
  }
}
