/**
 * One method call as Bitrix runs it, shared by plain requests and `batch` commands: look the
 * method up, check scope and the operating budget, run the handler, bill its cost.
 */
import type { Credential } from '../auth/credentials.js';
import type { EmulatorCore } from '../core.js';
import type { OperatingState } from '../limits/operating-budget.js';
import {
  type CallContext,
  type MethodDefinition,
  MethodError,
  type MethodOutcome,
  type Params,
} from '../methods/contract.js';
import { RestError, restErrors } from './answers.js';

export interface CallError {
  code: string | number;
  description: string;
  status: number;
}

export type CallResult =
  | { ok: true; method: MethodDefinition; outcome: MethodOutcome; operating: OperatingState }
  | { ok: false; error: CallError; method?: MethodDefinition };

export function budgetKey(credential: Credential, method: string): string {
  return `${credential.key}|${method}`;
}

/** Canonical method name from a URL segment or batch command: lower case, no `.json`/`.xml`. */
export function methodName(raw: string): string {
  return raw.replace(/\.(json|xml)$/i, '').toLowerCase();
}

export function lookupMethod(core: EmulatorCore, raw: string): MethodDefinition | undefined {
  return core.methods.get(methodName(raw));
}

export function callContext(core: EmulatorCore, credential: Credential): CallContext {
  return {
    scopes: core.grants.asSet(),
    userId: credential.userId,
    authType: credential.authType,
    now: () => core.clock.now(),
  };
}

export interface CallOptions {
  inBatch: boolean;
  /** False when the cost is billed elsewhere (batch billed as a whole). */
  billed: boolean;
}

export function callMethod(
  core: EmulatorCore,
  credential: Credential,
  raw: string,
  params: Params,
  options: CallOptions,
): CallResult {
  const method = lookupMethod(core, raw);
  if (!method) return { ok: false, error: restErrors.methodNotFound() };
  if (options.inBatch && (method.batchForbidden || method.name === 'batch')) {
    return { ok: false, error: restErrors.batchMethodNotAllowed(), method };
  }
  if (!core.grants.allowsAny(method.scopes)) {
    const error = restErrors.insufficientScope();
    // Inside batch Bitrix leaves the description empty (fixture batch.error.json).
    return { ok: false, error: options.inBatch ? { ...error, description: '', status: 403 } : error, method };
  }
  const key = budgetKey(credential, method.name);
  if (options.billed && !core.budget.allows(key)) {
    return { ok: false, error: restErrors.operationTimeLimit(method.name), method };
  }
  let outcome: MethodOutcome;
  try {
    outcome = method.handle(params, callContext(core, credential));
  } catch (error) {
    if (error instanceof MethodError || error instanceof RestError) {
      return {
        ok: false,
        error: { code: error.code, description: error.description, status: error.status },
        method,
      };
    }
    throw error;
  }
  if (core.access) outcome = core.access.apply(method.name, params, outcome);
  const cost = Math.max(0, outcome.cost);
  if (options.billed) core.budget.bill(key, cost);
  core.stats.methodRan(method.name, outcome.result, options.billed ? cost : 0);
  return { ok: true, method, outcome, operating: core.budget.state(key) };
}
