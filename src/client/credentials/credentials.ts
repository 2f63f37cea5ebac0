/** What the client needs from a credential: where to send a method and how to authenticate it. */
import type { Bitrix24Error } from '../errors.js';

export interface PreparedCall {
  url: string;
  /** The access token to put in the body as `auth` (OAuth); undefined for webhooks. */
  auth?: string;
}

export interface Credentials {
  readonly kind: 'webhook' | 'oauth';
  /** A stable key for the portal (its origin), shared by every client of that portal. */
  portalKey(): string;
  prepare(method: string): Promise<PreparedCall>;
  /** The portal answered from another address (302 domain move): use it from now on. */
  moved(asked: string, answered: string, method: string): void;
  /** After an auth error: true when the call should be repeated (a token was refreshed). */
  recover(error: Bitrix24Error, used: PreparedCall): Promise<boolean>;
}

/** The new REST base after a move: the answering URL minus the method part. */
export function movedBase(answered: string, method: string, oldBase: string): string | undefined {
  const url = new URL(answered);
  url.search = '';
  const text = url.toString();
  const suffix = text.endsWith(`${method}.json`) ? `${method}.json` : method;
  if (!text.endsWith(suffix)) return undefined;
  const base = text.slice(0, text.length - suffix.length);
  return base === oldBase ? undefined : base;
}
