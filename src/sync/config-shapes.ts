/**
 * The shapes of the configuration's structured values, apart from the code that reads and checks
 * them (config.ts, config-checks.ts, settings.ts all use these, so none imports another for them).
 */

/** The request bucket of the portal's plan: standard 50 burst / 2 per s, enterprise 250 / 5; unlimited has none. */
export type Plan = 'standard' | 'enterprise' | 'unlimited';
export type SyncType = 'INCREMENTAL' | 'FULL_TABLE';

export interface OAuthConfig {
  client_id: string;
  client_secret: string;
  portal_url: string;
  refresh_token?: string;
  token_file?: string;
  token_url?: string;
}

export interface StreamConfig {
  selected?: boolean;
  sync_type?: SyncType;
  layer?: string;
  folder?: string;
  table?: string;
}
