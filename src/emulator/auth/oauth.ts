/**
 * The OAuth 2.0 side of the portal and of oauth.bitrix.info (`settings/oauth/index.md`):
 * `/oauth/authorize/` redirects with a 30-second code, `/oauth/token/` exchanges codes and rotating
 * refresh tokens for access tokens that expire after `tokenTtl` emulated seconds.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { type RestError, restErrors } from '../http/answers.js';
import type { Params } from '../methods/contract.js';
import { type Credential, deriveSecret, type ScopeGrants } from './credentials.js';

const CODE_TTL_SECONDS = 30;
const REFRESH_TTL_SECONDS = 180 * 24 * 3600;
const APP_USER_ID = 1;

function token(): string {
  const bytes = randomBytes(32);
  let out = '';
  for (const byte of bytes) out += (byte % 36).toString(36);
  return out;
}

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  memberId: string;
}

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

export class OAuthServer {
  readonly app: OAuthApp;
  private readonly codes = new Map<string, number>();
  private readonly accessTokens = new Map<string, number>();
  private readonly refreshTokens = new Map<string, number>();
  readonly credential: Credential;

  constructor(
    seed: number,
    private readonly clock: Clock,
    private readonly grants: ScopeGrants,
    private readonly tokenTtl: number,
    /** The portal's current `/rest/` base URL (changes when the portal moves). */
    private readonly clientEndpoint: () => string,
    private readonly portalDomain: () => string,
    overrides: Partial<OAuthApp> = {},
  ) {
    this.app = {
      clientId:
        overrides.clientId ??
        `local.${deriveSecret(seed, 'client_id', 14)}.${deriveSecret(seed, 'client_no', 8)}`,
      clientSecret: overrides.clientSecret ?? deriveSecret(seed, 'client_secret', 50),
      memberId: overrides.memberId ?? deriveSecret(seed, 'member_id', 32),
    };
    this.credential = { key: `oauth:${this.app.clientId}`, userId: APP_USER_ID, authType: 'oauth' };
  }

  /** A refresh token issued at start, as if the app had already been installed. */
  issueRefreshToken(): string {
    const refresh = token();
    this.refreshTokens.set(refresh, this.clock.now() + REFRESH_TTL_SECONDS * 1000);
    return refresh;
  }

  /** Handles `/oauth/authorize/`: the Location to redirect to, or an error. */
  authorize(query: Params, defaultRedirect: string | undefined): { location: string } | TokenAnswer {
    if (query.client_id !== this.app.clientId) {
      return { status: 400, body: { error: 'invalid_client', error_description: 'Unknown client_id' } };
    }
    const redirect = typeof query.redirect_uri === 'string' ? query.redirect_uri : defaultRedirect;
    if (!redirect) {
      return {
        status: 400,
        body: { error: 'invalid_request', error_description: 'No redirect_uri for the application' },
      };
    }
    const code = token();
    this.codes.set(code, this.clock.now() + CODE_TTL_SECONDS * 1000);
    const url = new URL(redirect);
    url.searchParams.set('code', code);
    if (typeof query.state === 'string') url.searchParams.set('state', query.state);
    url.searchParams.set('domain', this.portalDomain());
    url.searchParams.set('member_id', this.app.memberId);
    url.searchParams.set('scope', this.grants.list().join(','));
    url.searchParams.set('server_domain', 'oauth.bitrix.info');
    return { location: url.toString() };
  }

  /** Handles `/oauth/token/` for `authorization_code` and `refresh_token` grants. */
  token(query: Params): TokenAnswer {
    if (query.client_id !== this.app.clientId || query.client_secret !== this.app.clientSecret) {
      return {
        status: 401,
        body: { error: 'invalid_client', error_description: 'Invalid client credentials' },
      };
    }
    const now = this.clock.now();
    if (query.grant_type === 'authorization_code') {
      const code = typeof query.code === 'string' ? query.code : '';
      const expiresAt = this.codes.get(code);
      this.codes.delete(code);
      if (expiresAt === undefined || expiresAt <= now) {
        return {
          status: 400,
          body: { error: 'invalid_grant', error_description: 'Invalid authorization code' },
        };
      }
      return { status: 200, body: this.issue(false) };
    }
    if (query.grant_type === 'refresh_token') {
      const refresh = typeof query.refresh_token === 'string' ? query.refresh_token : '';
      const expiresAt = this.refreshTokens.get(refresh);
      // Refresh tokens rotate: the one just used never works again.
      this.refreshTokens.delete(refresh);
      if (expiresAt === undefined || expiresAt <= now) {
        return { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid refresh token' } };
      }
      return { status: 200, body: this.issue(true) };
    }
    return { status: 400, body: { error: 'invalid_request', error_description: 'Unsupported grant_type' } };
  }

  private issue(withUser: boolean): Record<string, unknown> {
    const now = this.clock.now();
    const access = token();
    const refresh = this.issueRefreshToken();
    const expires = now + this.tokenTtl * 1000;
    this.accessTokens.set(access, expires);
    const body: Record<string, unknown> = {
      access_token: access,
      client_endpoint: this.clientEndpoint(),
      domain: 'oauth.bitrix.info',
      expires: Math.floor(expires / 1000),
      expires_in: this.tokenTtl,
      member_id: this.app.memberId,
      refresh_token: refresh,
      scope: this.grants.list().join(','),
      server_endpoint: 'https://oauth.bitrix.info/rest/',
      status: 'L',
    };
    if (withUser) body.user_id = APP_USER_ID;
    return body;
  }

  /** The credential behind an access token, or the REST error to answer. */
  verify(accessToken: string): Credential | RestError {
    const expiresAt = this.accessTokens.get(accessToken);
    if (expiresAt === undefined) return restErrors.invalidToken();
    if (expiresAt <= this.clock.now()) return restErrors.expiredToken();
    return this.credential;
  }

  expireAccessTokens(): void {
    const now = this.clock.now();
    for (const key of this.accessTokens.keys()) this.accessTokens.set(key, now);
  }

  revokeRefreshTokens(): void {
    this.refreshTokens.clear();
  }
}
