/**
 * `batch`: up to 50 commands in one request (`settings/how-to-call-rest-api/batch.md`). Commands
 * travel as `method?query` strings; the answer's members (`result`, `result_error`, `result_total`,
 * `result_next`, `result_time`) are `[]` when empty. Each sub-result's `time` feeds its own
 * method's budget (unless the portal bills the whole batch to `batch`, see OperatingBudget), and a
 * sub-command refused with OPERATION_TIME_LIMIT parks that method.
 */

import { readTime } from './answer.js';
import { encodeBatchCommand } from './batch-encoding.js';
import type { Caller } from './caller.js';
import { type Bitrix24Error, errorFromAnswer, OperatingLimitError } from './errors.js';
import type { OperatingBudget } from './limits/operating-budget.js';
import { isReadMethod } from './list/method-profiles.js';
import {
  type BatchCommand,
  type BatchResponse,
  type BitrixTime,
  type ClientStats,
  methodCounters,
} from './options.js';

export const MAX_BATCH_COMMANDS = 50;

function member(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object') return {};
  if (Array.isArray(value)) return Object.fromEntries(value.map((v, i) => [String(i), v]));
  return value as Record<string, unknown>;
}

export async function runBatch(
  caller: Caller,
  budget: OperatingBudget,
  stats: ClientStats,
  commands: Record<string, BatchCommand>,
  options: { halt?: boolean; signal?: AbortSignal } = {},
): Promise<BatchResponse> {
  const ids = Object.keys(commands);
  if (ids.length > MAX_BATCH_COMMANDS) {
    throw errorFromAnswer(
      'batch',
      undefined,
      'ERROR_BATCH_LENGTH_EXCEEDED',
      `at most ${MAX_BATCH_COMMANDS} commands`,
    );
  }
  const cmd: Record<string, string> = {};
  const methods = new Set<string>();
  for (const id of ids) {
    cmd[id] = encodeBatchCommand(commands[id].method, commands[id].params);
    methods.add(commands[id].method);
  }
  const allReads = [...methods].every(isReadMethod);
  stats.batchCommands += ids.length;
  const answer = await caller.request<unknown>(
    'batch',
    { halt: options.halt ? 1 : 0, cmd },
    {
      kind: allReads ? 'read' : 'write',
      budgetMethods: [...methods],
      commands: ids.length,
      signal: options.signal,
    },
  );
  const body = member(answer.result);
  const out: BatchResponse = {
    result: member(body.result),
    errors: {},
    total: {},
    next: {},
    time: {},
  };
  for (const [id, value] of Object.entries(member(body.result_error))) {
    const method = commands[id]?.method ?? 'batch';
    const e = member(value);
    const error: Bitrix24Error = errorFromAnswer(method, undefined, e.error, e.error_description);
    if (error instanceof OperatingLimitError) budget.park(method);
    out.errors[id] = error;
  }
  for (const [id, value] of Object.entries(member(body.result_total))) out.total[id] = Number(value);
  for (const [id, value] of Object.entries(member(body.result_next))) out.next[id] = Number(value);
  // What each method billed in this request: its cost per request, for pacing.
  const billed = new Map<string, { seconds: number; commands: number }>();
  for (const [id, value] of Object.entries(member(body.result_time))) {
    const time: BitrixTime | undefined = readTime(value);
    if (!time) continue;
    out.time[id] = time;
    const method = commands[id]?.method;
    if (method) {
      budget.observeInner(method, time);
      const sum = billed.get(method) ?? { seconds: 0, commands: 0 };
      billed.set(method, { seconds: sum.seconds + (time.processing ?? 0), commands: sum.commands + 1 });
      const perMethod = methodCounters(stats, method);
      perMethod.operatingSeconds = budget.operatingSeconds(method);
    }
  }
  if (!budget.batchBilled)
    for (const [method, sum] of billed) budget.recordCost(method, sum.seconds, sum.commands);
  for (const id of ids) {
    const method = commands[id].method;
    const perMethod = methodCounters(stats, method);
    perMethod.calls++;
  }
  return out;
}
