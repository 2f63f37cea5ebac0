/**
 * `batch` (`settings/how-to-call-rest-api/batch.md`): up to 50 commands, each a real method call
 * (scope, budget, cost), with `$result[cmd][field]…` references to earlier answers, `halt` to stop
 * at the first error, and PHP-style members where empty maps serialise as `[]`.
 */
import type { Credential } from './auth/credentials.js';
import { BatchAnswers, type Substitution } from './batch-answers.js';
import type { EmulatorCore } from './core.js';
import { restErrors } from './http/answers.js';
import { phpArray, type TimeObject, timeObject } from './http/envelope.js';
import { budgetKey, callMethod, lookupMethod } from './http/method-call.js';
import { parseBracketQuery } from './http/params.js';
import type { OperatingState } from './limits/operating-budget.js';
import type { Params, ParamValue } from './methods/contract.js';
import { parseKey } from './query/filter.js';
import { rowCount } from './stats.js';
import { phpInt } from './variants.js';

export const MAX_BATCH_COMMANDS = 50;
/** The batch wrapper's own modelled processing, in emulated seconds. */
const BATCH_OWN_COST = 0.002;

export interface BatchCommand {
  id: string;
  method: string;
  params: Params;
}

function isTruthy(value: ParamValue | undefined): boolean {
  if (typeof value === 'string') return value === '1' || value.toLowerCase() === 'true' || value === 'Y';
  return value === true || value === 1;
}

/** Reads `cmd` (object or list) of `"method?query"` strings or `{method, params}` objects. */
export function parseBatchCommands(params: Params): BatchCommand[] {
  const cmd = params.cmd ?? params.CMD;
  if (cmd === undefined || cmd === null || typeof cmd !== 'object') return [];
  const entries: [string, ParamValue][] = Array.isArray(cmd)
    ? cmd.map((v, i) => [String(i), v])
    : Object.entries(cmd);
  if (entries.length > MAX_BATCH_COMMANDS) throw restErrors.batchLength();
  return entries.map(([id, value]) => {
    if (typeof value === 'string') {
      const q = value.indexOf('?');
      const method = q < 0 ? value : value.slice(0, q);
      return { id, method, params: q < 0 ? {} : parseBracketQuery(value.slice(q + 1)) };
    }
    if (
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      typeof value.method === 'string'
    ) {
      const inner = value.params;
      const p = inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? inner : {};
      return { id, method: value.method, params: p };
    }
    return { id, method: '', params: {} };
  });
}

/** An ID-like field (ID, id, STAGE_ID, entityTypeId…), which the portal's SQL compares as a number. */
function numericField(field: string): boolean {
  return /^id$|_id$/i.test(field) || /[a-z]Id$/.test(field);
}

/**
 * literal-refs: the portal casts the text of an unresolved reference in a numeric filter as PHP
 * does, `(int) '$result[p0][49][ID]'` = 0; other filters keep the text.
 */
function castNumericFilters(value: ParamValue, inFilter: boolean): ParamValue {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => castNumericFilters(v, inFilter));
  const out: Params = {};
  for (const [k, v] of Object.entries(value)) {
    const isFilter = inFilter || k.toLowerCase() === 'filter';
    if (isFilter && typeof v === 'string' && v.includes('$result') && numericField(parseKey(k).field))
      out[k] = phpInt(v);
    else out[k] = castNumericFilters(v, isFilter);
  }
  return out;
}

/** True when any command would run a write method (faults must then not corrupt the answer). */
export function batchHasWrite(core: EmulatorCore, params: Params): boolean {
  try {
    return parseBatchCommands(params).some((c) => lookupMethod(core, c.method)?.write === true);
  } catch {
    return false;
  }
}

export interface BatchOutcome {
  result: unknown;
  /** Emulated seconds the whole batch took. */
  cost: number;
}

/** Runs a batch whose own scope and (for `batch` billing) budget the caller already checked. */
export function runBatch(
  core: EmulatorCore,
  credential: Credential,
  params: Params,
  startMs: number,
): BatchOutcome {
  const commands = parseBatchCommands(params);
  const halt = isTruthy(params.halt ?? params.HALT);
  const billedInner = core.batchBilling === 'inner';
  const answers = new BatchAnswers(
    commands.map((c) => c.params),
    core.jsonEscaping,
  );
  const timings: { id: string; start: number; cost: number; operating: OperatingState }[] = [];
  let elapsed = 0;
  core.stats.batch(commands.length);
  for (const command of commands) {
    const seen: Substitution = { unresolved: 0 };
    let callParams = answers.substitute(command.params, seen) as Params;
    if (seen.unresolved > 0 && core.literalRefs) callParams = castNumericFilters(callParams, false) as Params;
    const call = callMethod(core, credential, command.method, callParams, {
      inBatch: true,
      billed: billedInner,
    });
    if (seen.unresolved > 0) core.stats.unresolvedCommand(call.ok ? rowCount(call.outcome.result) : 0);
    if (!call.ok) {
      core.stats.rejection(call.error.code);
      answers.result_error.set(command.id, {
        error: call.error.code,
        error_description: call.error.description,
      });
      if (halt) break;
      continue;
    }
    const { outcome } = call;
    answers.setResult(command.id, outcome.result);
    if (outcome.total !== undefined) answers.result_total.set(command.id, outcome.total);
    if (outcome.next !== undefined) answers.result_next.set(command.id, outcome.next);
    timings.push({
      id: command.id,
      start: startMs + elapsed * 1000,
      cost: outcome.cost,
      operating: call.operating,
    });
    elapsed += Math.max(0, outcome.cost);
  }
  const cost = elapsed + BATCH_OWN_COST;
  if (!billedInner) core.budget.bill(budgetKey(credential, 'batch'), cost);
  if (!billedInner) core.stats.methodRan('batch', null, cost);
  const batchState = core.budget.state(budgetKey(credential, 'batch'));
  for (const t of timings) {
    // Docs billing: each command shows its own method's operating as of its run; field-report
    // billing: every command carries the batch's.
    const state = billedInner ? t.operating : batchState;
    const time: TimeObject = timeObject(t.start, t.start + t.cost * 1000, t.cost, state);
    answers.result_time.set(t.id, time);
  }
  return {
    result: {
      result: phpArray(answers.result),
      result_error: phpArray(answers.result_error),
      result_total: phpArray(answers.result_total),
      result_next: phpArray(answers.result_next),
      result_time: phpArray(answers.result_time),
    },
    cost,
  };
}
