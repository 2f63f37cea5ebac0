/**
 * One line per cause for a run that could not go on: what happened and what to change. `sync`,
 * `check`, `schedule`, Singer mode and the console all say it with these words, so a cause reads
 * the same wherever it shows. Messages come from typed errors whose text is already redacted.
 */
import {
  AuthError,
  Bitrix24Error,
  ConfigError,
  NotFoundError,
  ScopeError,
  TransportError,
} from '../client/index.js';
import { PlanError } from './plan.js';

const WEBHOOK_SHAPE = 'https://PORTAL/rest/USER_ID/CODE/';

/** Ctrl-C (or SIGTERM) stopped the run: not a failure of the portal or the config. */
export function isInterruption(error: unknown): boolean {
  const name = error instanceof Error ? error.name : '';
  return name === 'AbortError' || name === 'SyncAbortedError';
}

/** Bad settings (a config key, `--streams`, plain http to a remote portal): exit code 2. */
export function isSettingsFailure(error: unknown): boolean {
  return error instanceof ConfigError || error instanceof PlanError;
}

export function explainFailure(error: unknown): string {
  if (isInterruption(error)) return 'interrupted';
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof Bitrix24Error)) return message;
  const cause = error.description ? `${error.code}: ${error.description}` : error.code;
  if (error instanceof AuthError)
    return `the portal refused these credentials (${cause}); check webhook_url (${WEBHOOK_SHAPE}): its user ID and code must be those of an active incoming webhook (or, with OAuth, the app's settings)`;
  if (error instanceof ScopeError)
    return `the credentials lack a permission (${cause}); add the scope (crm, user, department, telephony, imopenlines) to the webhook in Bitrix24`;
  if (error instanceof NotFoundError)
    return `the server answered, but not as a Bitrix24 REST endpoint (${cause}); check the path of webhook_url (${WEBHOOK_SHAPE})`;
  if (error instanceof TransportError) {
    return error.code === 'TIMEOUT'
      ? `the portal did not answer (${error.description}); check the host in webhook_url and that the portal is up`
      : `cannot reach the portal (${cause}); check the host in webhook_url and your network`;
  }
  return message;
}
