/**
 * Secrets (the webhook code, the OAuth client secret and refresh token) never go back to the
 * browser whole: pages and the API show a masked form, and an edit that sends the masked form
 * back keeps the stored secret.
 */

const WEBHOOK_PATH = /^(.*\/rest\/[^/]+\/)([^/]+)(\/?.*)$/;

/** `abcdef123456` → `ab…56`; short secrets are masked whole. */
export function maskSecret(secret: string): string {
  if (secret.length <= 8) return '••••';
  return `${secret.slice(0, 2)}…${secret.slice(-2)}`;
}

/** `https://portal/rest/1/abcdef123456/` → `https://portal/rest/1/ab…56/`. */
export function maskWebhookUrl(url: string): string {
  const match = WEBHOOK_PATH.exec(url);
  if (!match) return maskSecret(url);
  return `${match[1]}${maskSecret(match[2])}${match[3]}`;
}

type OAuthShape = Record<string, unknown>;

const OAUTH_SECRETS = ['client_secret', 'refresh_token'] as const;

/** The config as the browser may see it. */
export function maskConfig(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config };
  if (typeof config.webhook_url === 'string') out.webhook_url = maskWebhookUrl(config.webhook_url);
  if (config.oauth && typeof config.oauth === 'object') {
    const oauth: OAuthShape = { ...(config.oauth as OAuthShape) };
    for (const key of OAUTH_SECRETS) {
      if (typeof oauth[key] === 'string') oauth[key] = maskSecret(oauth[key] as string);
    }
    out.oauth = oauth;
  }
  return out;
}

/** Puts stored secrets back where the browser sent their masked form (or nothing). */
export function restoreSecrets(
  incoming: Record<string, unknown>,
  stored: Record<string, unknown> | undefined,
): Record<string, unknown> {
  if (!stored) return incoming;
  const out: Record<string, unknown> = { ...incoming };
  if (
    typeof incoming.webhook_url === 'string' &&
    typeof stored.webhook_url === 'string' &&
    incoming.webhook_url === maskWebhookUrl(stored.webhook_url)
  ) {
    out.webhook_url = stored.webhook_url;
  }
  if (
    incoming.oauth &&
    typeof incoming.oauth === 'object' &&
    stored.oauth &&
    typeof stored.oauth === 'object'
  ) {
    const oauth: OAuthShape = { ...(incoming.oauth as OAuthShape) };
    const kept = stored.oauth as OAuthShape;
    for (const key of OAUTH_SECRETS) {
      const sent = oauth[key];
      const old = kept[key];
      if (typeof old === 'string' && (sent === undefined || sent === '' || sent === maskSecret(old))) {
        oauth[key] = old;
      }
    }
    out.oauth = oauth;
  }
  return out;
}
