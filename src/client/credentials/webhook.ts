/** Incoming webhook: `https://PORTAL/rest/USER_ID/CODE/METHOD`; the code is the secret. */
import { type Bitrix24Error, ConfigError } from '../errors.js';
import { sleep } from '../limits/sleep.js';
import { registerSecret } from '../redact.js';
import { type Credentials, movedBase, type PreparedCall } from './credentials.js';
import { checkedUrl } from './portal-url.js';

/** How long a webhook call answered `expired_token` waits before its one repeat. */
export const WEBHOOK_EXPIRED_TOKEN_PAUSE_MS = 1_000;

export class WebhookCredentials implements Credentials {
  readonly kind = 'webhook';
  private base: string;

  constructor(
    webhookUrl: string,
    private readonly expiredTokenPauseMs = WEBHOOK_EXPIRED_TOKEN_PAUSE_MS,
  ) {
    const url = checkedUrl(webhookUrl.trim(), 'webhook_url');
    const match = /^(.*\/rest\/\d+\/)([^/]+)\/?$/.exec(url.pathname);
    if (!match)
      throw new ConfigError('webhook_url', 'webhook_url must look like https://PORTAL/rest/USER_ID/CODE/');
    registerSecret(match[2]);
    url.search = '';
    url.hash = '';
    url.pathname = `${match[1]}${match[2]}/`;
    this.base = url.toString();
  }

  portalKey(): string {
    return new URL(this.base).origin;
  }

  async prepare(method: string): Promise<PreparedCall> {
    return { url: this.base + method };
  }

  moved(_asked: string, answered: string, method: string): void {
    const base = movedBase(answered, method, this.base);
    if (base) this.base = base;
  }

  /**
   * A webhook has no token to refresh, yet portals have answered HTTP 401 `expired_token` to a
   * webhook call that succeeds when repeated a moment later: repeat it once after a pause (the
   * caller allows one recovery per request), so one such answer does not fail a stream.
   */
  async recover(error: Bitrix24Error): Promise<boolean> {
    if (error.code.toUpperCase() !== 'EXPIRED_TOKEN') return false;
    await sleep(this.expiredTokenPauseMs);
    return true;
  }
}
