/**
 * The contract between the emulator's HTTP side (server, auth, limits, batch, faults) and its
 * portal side (generated data, query engine, method handlers). The HTTP side turns a request into
 * `Params`, checks auth and scope, then calls `MethodDefinition.handle`; the portal side never
 * sees HTTP. Both halves live in src/emulator and import nothing else of ours.
 */

/** A parsed request: nested objects/arrays; leaves are strings (query/form) or JSON scalars. */
export type ParamValue = string | number | boolean | null | ParamValue[] | { [key: string]: ParamValue };
export type Params = { [key: string]: ParamValue };

export type AuthType = 'webhook' | 'oauth';

export interface CallContext {
  /** Scopes granted to the credential that made the call. */
  readonly scopes: ReadonlySet<string>;
  /** The portal user behind the credential (webhook path segment, or the OAuth token's user). */
  readonly userId: number;
  readonly authType: AuthType;
  /** The emulated portal clock in ms since epoch; runs `timeScale` times faster than real time. */
  now(): number;
}

export interface MethodOutcome {
  result: unknown;
  total?: number;
  next?: number;
  /**
   * Modelled server processing time of this call in (emulated) seconds. The HTTP side waits
   * cost / timeScale real seconds before answering and bills it to the method's operating budget.
   */
  cost: number;
}

export interface MethodDefinition {
  /** Canonical lower-case name, e.g. `crm.deal.list`. Lookup is case-insensitive. */
  readonly name: string;
  /** Any one of these scopes grants the method; `basic` is always granted. */
  readonly scopes: readonly string[];
  /** Writes change the portal; the HTTP side never injects faults after a write has run. */
  readonly write?: boolean;
  /** May not be nested in `batch` (Bitrix refuses `batch` itself and file methods). */
  readonly batchForbidden?: boolean;
  handle(params: Params, ctx: CallContext): MethodOutcome;
}

/**
 * A Bitrix error answer. `code` may be '' for legacy CRM methods, which answer HTTP 400 with only
 * an `error_description` (e.g. `{"error":"","error_description":"Access denied."}`); `code` as
 * a number reproduces the `"error": 0` quirk of crm.stagehistory.list.
 */
export class MethodError extends Error {
  constructor(
    readonly code: string | number,
    readonly description: string,
    readonly status: number,
  ) {
    super(`${code}: ${description}`);
    this.name = 'MethodError';
  }
}
