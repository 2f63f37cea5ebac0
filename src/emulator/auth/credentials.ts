/**
 * Who is calling: the portal's incoming webhook (user id + secret code in the URL) or the OAuth
 * application (access token). Secrets are derived from the seed so tests know them in advance.
 */
import { createHash } from 'node:crypto';
import type { AuthType } from '../methods/contract.js';

export const ALL_SCOPES = ['crm', 'user', 'department', 'telephony', 'imopenlines'] as const;

/** A caller as the limits and method handlers see it. `key` groups its operating budget. */
export interface Credential {
  readonly key: string;
  readonly userId: number;
  readonly authType: AuthType;
}

/** A deterministic lower-case alphanumeric secret of `length` chars for `purpose` under `seed`. */
export function deriveSecret(seed: number, purpose: string, length: number): string {
  let out = '';
  let round = 0;
  while (out.length < length) {
    const digest = createHash('sha256').update(`${purpose}:${seed}:${round++}`).digest();
    for (const byte of digest) out += (byte % 36).toString(36);
  }
  return out.slice(0, length);
}

/** The scopes granted to every credential of the portal; `basic` is always granted. */
export class ScopeGrants {
  private granted: Set<string>;

  constructor(scopes: readonly string[]) {
    this.granted = new Set(scopes);
  }

  set(scopes: readonly string[]): void {
    this.granted = new Set(scopes);
  }

  /** The granted scopes, without the implicit `basic`. */
  list(): string[] {
    return [...this.granted].filter((s) => s !== 'basic');
  }

  /** The set handed to method handlers, including `basic`. */
  asSet(): ReadonlySet<string> {
    return new Set([...this.granted, 'basic']);
  }

  allowsAny(required: readonly string[]): boolean {
    return required.length === 0 || required.some((s) => s === 'basic' || this.granted.has(s));
  }
}

export class IncomingWebhook {
  readonly credential: Credential;

  constructor(
    readonly userId: number,
    readonly code: string,
  ) {
    this.credential = { key: `webhook:${userId}`, userId, authType: 'webhook' };
  }

  /** The credential for a `/rest/{userId}/{code}/` path, or null when either part is wrong. */
  match(userId: string, code: string): Credential | null {
    return userId === String(this.userId) && code === this.code ? this.credential : null;
  }
}
