/**
 * Methods of the `basic` pseudo-scope that belong to the REST layer rather than to portal data
 * (no scope needed to call them): batch, scope, methods, method.get, server.time, app.info.
 */
import { ALL_SCOPES, type ScopeGrants } from './auth/credentials.js';
import { portalDate } from './http/envelope.js';
import { type MethodDefinition, MethodError, type Params } from './methods/contract.js';

const COST = 0.001;

function isTruthy(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 'true' || value === 'Y';
}

function system(
  name: string,
  handle: MethodDefinition['handle'],
  extra: Partial<MethodDefinition> = {},
): MethodDefinition {
  return { name, scopes: ['basic'], handle, ...extra };
}

/** `table()` is the full method table, read lazily because it includes these methods. */
export function systemMethods(
  grants: ScopeGrants,
  table: () => Map<string, MethodDefinition>,
): MethodDefinition[] {
  const available = (m: MethodDefinition) => grants.allowsAny(m.scopes);
  return [
    system(
      'batch',
      () => {
        // The server runs batch itself; reaching this handler means it was nested.
        throw new MethodError('ERROR_BATCH_METHOD_NOT_ALLOWED', 'Method is not allowed for batch usage', 405);
      },
      { batchForbidden: true },
    ),
    system('scope', (params: Params) => ({
      result: isTruthy(params.full) ? [...ALL_SCOPES] : grants.list(),
      cost: COST,
    })),
    system('methods', (params: Params) => {
      const all = [...table().values()];
      let chosen: MethodDefinition[];
      if (typeof params.scope === 'string') {
        const scope = params.scope === '' ? 'basic' : params.scope;
        chosen = all.filter((m) => m.scopes.includes(scope));
      } else {
        chosen = isTruthy(params.full) ? all : all.filter(available);
      }
      return { result: chosen.map((m) => m.name), cost: COST };
    }),
    system('method.get', (params: Params) => {
      const name = typeof params.name === 'string' ? params.name.toLowerCase() : '';
      const method = table().get(name);
      return {
        result: { isExisting: method !== undefined, isAvailable: method ? available(method) : false },
        cost: COST,
      };
    }),
    system('server.time', (_params, ctx) => ({ result: portalDate(ctx.now()), cost: COST })),
    system('app.info', (_params, ctx) => {
      if (ctx.authType !== 'oauth') {
        throw new MethodError('ACCESS_DENIED', 'Access denied! Application context required', 400);
      }
      return {
        result: {
          ID: 1,
          CODE: 'local.tap_bitrix24',
          VERSION: 1,
          STATUS: 'L',
          INSTALLED: true,
          PAYMENT_EXPIRED: 'N',
          DAYS: null,
          LANGUAGE_ID: 'en',
          LICENSE: 'en_ent250',
          LICENSE_TYPE: 'ent250',
          LICENSE_FAMILY: 'ent',
        },
        cost: COST,
      };
    }),
  ];
}
