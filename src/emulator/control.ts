/**
 * Actions a test applies to a running emulator (POST /_emulator/control or `control()`): expire
 * tokens, revoke refresh tokens, change scopes or faults, move the portal, reset the limits.
 */
import type { EmulatorCore } from './core.js';

export type ControlAction =
  | { action: 'expire_tokens' }
  | { action: 'revoke_refresh_tokens' }
  | { action: 'set_scopes'; scopes: string[] }
  | { action: 'move_portal' }
  | { action: 'set_faults'; spec: string }
  | { action: 'reset_limits' };

export class ControlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ControlError';
  }
}

/** Checks an untrusted JSON value is a known action. */
export function parseControlAction(value: unknown): ControlAction {
  if (value === null || typeof value !== 'object')
    throw new ControlError('expected a JSON object with "action"');
  const v = value as Record<string, unknown>;
  switch (v.action) {
    case 'expire_tokens':
    case 'revoke_refresh_tokens':
    case 'move_portal':
    case 'reset_limits':
      return { action: v.action };
    case 'set_scopes':
      if (!Array.isArray(v.scopes) || !v.scopes.every((s) => typeof s === 'string')) {
        throw new ControlError('set_scopes needs "scopes": string[]');
      }
      return { action: 'set_scopes', scopes: v.scopes as string[] };
    case 'set_faults':
      if (typeof v.spec !== 'string') throw new ControlError('set_faults needs "spec": string');
      return { action: 'set_faults', spec: v.spec };
    default:
      throw new ControlError(`unknown action ${JSON.stringify(v.action)}`);
  }
}

/** Applies an action; answers what changed (the new REST base after a move). */
export function applyControl(core: EmulatorCore, action: ControlAction): Record<string, unknown> {
  switch (action.action) {
    case 'expire_tokens':
      core.oauth.expireAccessTokens();
      break;
    case 'revoke_refresh_tokens':
      core.oauth.revokeRefreshTokens();
      break;
    case 'set_scopes':
      core.grants.set(action.scopes);
      break;
    case 'set_faults':
      core.faults.setSpec(action.spec);
      break;
    case 'reset_limits':
      core.bucket.reset();
      core.budget.reset();
      break;
    case 'move_portal': {
      const moves = core.restPrefix === '' ? 1 : Number(core.restPrefix.replace('/moved', '') || '1') + 1;
      core.restPrefix = moves === 1 ? '/moved' : `/moved${moves}`;
      return { ok: true, rest_url: `${core.origin}${core.restPrefix}/rest/` };
    }
  }
  return { ok: true };
}
