/**
 * OAuth application credentials. The access token lives an hour; it is refreshed just before
 * it expires or when the portal answers `expired_token`, and concurrent calls share ONE refresh
 * (a second refresh would present a refresh token the first already rotated away). The new
 * tokens are saved to the token file before anyone uses them.
 */

import { MAX_ANSWER_DEPTH } from '../answer.js';
import { AuthError, type Bitrix24Error, errorFromAnswer } from '../errors.js';
import { parseJsonBody } from '../json-body.js';
import type { OAuthOptions } from '../options.js';
import { registerSecret } from '../redact.js';
import type { Transport } from '../transport.js';
import { type Credentials, movedBase, type PreparedCall } from './credentials.js';
import { checkedUrl } from './portal-url.js';
import { readTokenFile, type SavedTokens, writeTokenFile } from './token-file.js';

export const DEFAULT_TOKEN_URL = 'https://oauth.bitrix.info/oauth/token/';
/** Refresh this long before the known expiry, so a call never leaves with a dying token. */
const EARLY_REFRESH_MS = 60_000;

export interface TokenAnswer {
  access_token: string;
  refresh_token: string;
  expires_in?: number;
  client_endpoint?: string;
  scope?: string;
  member_id?: string;
}

/** Calls the token endpoint (a GET with query parameters, as `settings/oauth/index.md` shows). */
export async function requestTokens(
  transport: Transport,
  tokenUrl: string,
  query: Record<string, string>,
): Promise<TokenAnswer> {
  const url = checkedUrl(tokenUrl, 'token URL');
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const raw = await transport.get(url.toString(), 'oauth/token');
  let body: Record<string, unknown> = {};
  try {
    const parsed = parseJsonBody(raw.body, MAX_ANSWER_DEPTH);
    if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
  } catch {
    // fall through: no tokens in the answer
  }
  if (raw.status !== 200 || typeof body.access_token !== 'string' || typeof body.refresh_token !== 'string') {
    const error = errorFromAnswer(
      'oauth/token',
      raw.status,
      body.error ?? 'invalid_grant',
      body.error_description ?? '',
    );
    // A refused refresh cannot heal by retrying: say what to do, not only what Bitrix answered.
    const fix =
      query.grant_type === 'refresh_token'
        ? '; the refresh token was revoked, expired or already used: run `tap-bitrix24 auth` to authorize again'
        : '';
    throw new AuthError({
      code: error.code,
      method: 'oauth/token',
      httpStatus: raw.status,
      description: `${error.description || 'the token endpoint refused the request'}${fix}`,
    });
  }
  registerSecret(body.access_token);
  registerSecret(body.refresh_token);
  return body as unknown as TokenAnswer;
}

export class OAuthCredentials implements Credentials {
  readonly kind = 'oauth';
  private base: string;
  private accessToken?: string;
  private refreshToken?: string;
  private expiresAt?: number;
  private loaded?: Promise<void>;
  private refreshing?: Promise<void>;
  readonly tokenUrl: string;
  refreshCount = 0;

  constructor(
    private readonly options: OAuthOptions,
    private readonly transport: Transport,
  ) {
    const portal = checkedUrl(options.portalUrl, 'oauth.portal_url');
    this.base = new URL('/rest/', portal.origin).toString();
    this.tokenUrl = checkedUrl(options.tokenUrl ?? DEFAULT_TOKEN_URL, 'oauth token URL').toString();
    registerSecret(options.clientSecret);
    registerSecret(options.refreshToken);
    registerSecret(options.accessToken);
    this.accessToken = options.accessToken;
    this.refreshToken = options.refreshToken;
    this.expiresAt = options.expiresAt;
  }

  portalKey(): string {
    return new URL(this.base).origin;
  }

  /** The token file, when present, is newer than the config: rotation writes only to it. */
  private load(): Promise<void> {
    this.loaded ??= (async () => {
      if (!this.options.tokenFile) return;
      const saved = await readTokenFile(this.options.tokenFile);
      if (!saved) return;
      registerSecret(saved.refresh_token);
      registerSecret(saved.access_token);
      this.refreshToken = saved.refresh_token;
      this.accessToken = saved.access_token;
      this.expiresAt = saved.expires_at;
      if (saved.client_endpoint) this.base = checkedUrl(saved.client_endpoint, 'client_endpoint').toString();
    })();
    return this.loaded;
  }

  async prepare(method: string): Promise<PreparedCall> {
    await this.load();
    const stale = this.expiresAt !== undefined && this.expiresAt - Date.now() < EARLY_REFRESH_MS;
    if (!this.accessToken || stale) await this.refresh();
    return { url: this.base + method, auth: this.accessToken };
  }

  moved(_asked: string, answered: string, method: string): void {
    const base = movedBase(answered, method, this.base);
    if (base) this.base = base;
  }

  async recover(error: Bitrix24Error, used: PreparedCall): Promise<boolean> {
    const code = error.code.toLowerCase();
    if (code !== 'expired_token' && code !== 'invalid_token') return false;
    // Another call already refreshed while this one was in flight: just repeat with the new token.
    if (this.accessToken !== used.auth) return true;
    if (code === 'invalid_token' && !this.refreshToken) return false;
    await this.refresh();
    return true;
  }

  /** One refresh at a time; every caller waiting meanwhile gets its result. */
  refresh(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    if (!this.refreshToken) {
      throw new AuthError({
        code: 'NO_REFRESH_TOKEN',
        method: 'oauth/token',
        description: 'no refresh token; run `tap-bitrix24 auth`',
      });
    }
    const answer = await requestTokens(this.transport, this.tokenUrl, {
      grant_type: 'refresh_token',
      client_id: this.options.clientId,
      client_secret: this.options.clientSecret,
      refresh_token: this.refreshToken,
    });
    this.refreshCount++;
    const expiresAt = Date.now() + (answer.expires_in ?? 3600) * 1000;
    const base = answer.client_endpoint
      ? checkedUrl(answer.client_endpoint, 'client_endpoint').toString()
      : this.base;
    if (this.options.tokenFile) {
      const saved: SavedTokens = {
        access_token: answer.access_token,
        refresh_token: answer.refresh_token,
        expires_at: expiresAt,
        client_endpoint: base,
        portal_url: this.options.portalUrl,
        scope: answer.scope,
        member_id: answer.member_id,
        saved_at: new Date().toISOString(),
      };
      await writeTokenFile(this.options.tokenFile, saved);
    }
    this.accessToken = answer.access_token;
    this.refreshToken = answer.refresh_token;
    this.expiresAt = expiresAt;
    this.base = base;
  }
}
