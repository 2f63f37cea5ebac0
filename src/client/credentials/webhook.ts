/** Incoming webhook: `https://PORTAL/rest/USER_ID/CODE/METHOD`; the code is the secret. */
import { ConfigError } from '../errors.js';
import { registerSecret } from '../redact.js';
import { type Credentials, movedBase, type PreparedCall } from './credentials.js';
import { checkedUrl } from './portal-url.js';

export class WebhookCredentials implements Credentials {
  readonly kind = 'webhook';
  private base: string;

  constructor(webhookUrl: string) {
    const url = checkedUrl(webhookUrl.trim(), 'webhook_url');
    const match = /^(.*\/rest\/\d+\/)([^/]+)\/?$/.exec(url.pathname);
    if (!match) throw new ConfigError('webhook_url must look like https://PORTAL/rest/USER_ID/CODE/');
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

  async recover(): Promise<boolean> {
    return false;
  }
}
