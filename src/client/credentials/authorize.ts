/**
 * OAuth setup (`tap-bitrix24 auth`): show the portal's authorize URL, catch the redirect on a
 * loopback port, and exchange the code at once (it lives 30 s, `settings/oauth/index.md`); the
 * tokens are saved with their time to a 0600 token file, ready for sync.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthError } from '../errors.js';
import { registerSecret } from '../redact.js';
import { Transport } from '../transport.js';
import { DEFAULT_TOKEN_URL, requestTokens } from './oauth.js';
import { checkedUrl } from './portal-url.js';
import { writeTokenFile } from './token-file.js';

export interface AuthorizeOptions {
  clientId: string;
  clientSecret: string;
  portalUrl: string;
  tokenFile: string;
  /** Loopback port for the redirect (the app's registered redirect URI); 0 picks a free one. */
  port?: number;
  /** Default `PORTAL/oauth/authorize/`. */
  authorizeUrl?: string;
  /** Default https://oauth.bitrix.info/oauth/token/ */
  tokenUrl?: string;
  /** How long to wait for the user, default 5 minutes. */
  timeoutMs?: number;
  ca?: string;
  /** Shown to the user: the URL to open in a browser. */
  onAuthorizeUrl: (url: string, redirectUri: string) => void | Promise<void>;
}

export interface AuthorizeResult {
  tokenFile: string;
  scope: string[];
  clientEndpoint?: string;
  expiresAt: number;
}

const PAGE_OK = '<!doctype html><title>tap-bitrix24</title><p>Authorized. You can close this window.</p>';
const PAGE_FAILED =
  '<!doctype html><title>tap-bitrix24</title><p>Authorization failed; see the terminal.</p>';

/** Swaps the authorization code for tokens and saves them with their time; the code lives 30 s. */
async function exchangeCode(
  options: AuthorizeOptions,
  transport: Transport,
  tokenUrl: string,
  code: string,
): Promise<AuthorizeResult> {
  const answer = await requestTokens(transport, tokenUrl, {
    grant_type: 'authorization_code',
    client_id: options.clientId,
    client_secret: options.clientSecret,
    code,
  });
  const expiresAt = Date.now() + (answer.expires_in ?? 3600) * 1000;
  await writeTokenFile(options.tokenFile, {
    access_token: answer.access_token,
    refresh_token: answer.refresh_token,
    expires_at: expiresAt,
    client_endpoint: answer.client_endpoint,
    portal_url: options.portalUrl,
    scope: answer.scope,
    member_id: answer.member_id,
    saved_at: new Date().toISOString(),
  });
  return {
    tokenFile: options.tokenFile,
    scope: (answer.scope ?? '').split(',').filter(Boolean),
    clientEndpoint: answer.client_endpoint,
    expiresAt,
  };
}

interface Settle {
  resolve: (r: AuthorizeResult) => void;
  reject: (e: unknown) => void;
}

/**
 * Answers the browser's requests on the loopback port: the one carrying `code` (with our `state`)
 * finishes the authorization; anything else (a favicon, a probe) is told we are waiting.
 */
function redirectHandler(
  state: string,
  exchange: (code: string) => Promise<AuthorizeResult>,
  settle: Settle,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const code = url.searchParams.get('code');
    if (!code) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('waiting for the Bitrix24 redirect');
      return;
    }
    registerSecret(code);
    try {
      if (url.searchParams.get('state') !== state) {
        throw new AuthError({
          code: 'invalid_state',
          method: 'oauth/authorize',
          description: 'the redirect carried a foreign state',
        });
      }
      const result = await exchange(code);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE_OK);
      settle.resolve(result);
    } catch (error) {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE_FAILED);
      settle.reject(error);
    }
  };
}

/** Listens on 127.0.0.1 (`port` 0 picks a free one) and answers the port it got. */
async function listenLoopback(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

export async function authorizeApp(options: AuthorizeOptions): Promise<AuthorizeResult> {
  registerSecret(options.clientSecret);
  const portal = checkedUrl(options.portalUrl, 'portal');
  const authorize = checkedUrl(
    options.authorizeUrl ?? new URL('/oauth/authorize/', portal.origin).toString(),
    'authorize URL',
  );
  const tokenUrl = options.tokenUrl ?? DEFAULT_TOKEN_URL;
  const state = randomBytes(16).toString('hex');
  const transport = new Transport({ timeoutMs: 30_000, userAgent: 'tap-bitrix24/auth', ca: options.ca });

  let settle!: Settle;
  const done = new Promise<AuthorizeResult>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const exchange = (code: string) => exchangeCode(options, transport, tokenUrl, code);
  const handle = redirectHandler(state, exchange, settle);
  const server = createServer((req, res) => {
    void handle(req, res);
  });
  const port = await listenLoopback(server, options.port ?? 0);
  const redirectUri = `http://127.0.0.1:${port}/`;
  authorize.searchParams.set('client_id', options.clientId);
  authorize.searchParams.set('state', state);
  authorize.searchParams.set('redirect_uri', redirectUri);
  const timer = setTimeout(
    () =>
      settle.reject(
        new AuthError({
          code: 'timeout',
          method: 'oauth/authorize',
          description: 'no redirect arrived in time',
        }),
      ),
    options.timeoutMs ?? 300_000,
  );
  try {
    Promise.resolve(options.onAuthorizeUrl(authorize.toString(), redirectUri)).catch(settle.reject);
    return await done;
  } finally {
    clearTimeout(timer);
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await transport.close();
  }
}
