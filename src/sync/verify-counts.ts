/**
 * The portal's side of `verify`: one counted request per stream (the list method's first page,
 * whose `total` is the number of rows matching the filter), packed 50 to a `batch`. Counting is
 * what makes a Bitrix list slow on a big portal, which is why a sync never asks for it (it pages
 * with `start: -1`) and `verify` asks once per stream.
 */
import {
  type BatchCommand,
  type BatchResponse,
  type Bitrix24Client,
  Bitrix24Error,
  MAX_BATCH_COMMANDS,
} from '../client/index.js';
import type { ReadContext, StreamLogger, StreamOptions } from '../streams/stream.js';
import type { StreamSelection } from './engine.js';

/** A stream's count on the portal: a number, or why there is none. */
export type PortalCount =
  | { kind: 'counted'; total: number }
  | { kind: 'not_counted'; why: string }
  | { kind: 'failed'; why: string };

/** How often a count whose batch answer was a transient error is asked again. */
const COUNT_RETRIES = 2;

export async function portalCounts(
  client: Bitrix24Client,
  selections: readonly StreamSelection[],
  options: StreamOptions,
  logger: StreamLogger,
): Promise<Map<string, PortalCount>> {
  const counts = new Map<string, PortalCount>();
  const runStartedAt = await client.serverTime();
  const commands = new Map<string, BatchCommand>();
  for (const selection of selections) {
    const { stream } = selection;
    const ctx: ReadContext = {
      client,
      options,
      replicationMethod: selection.replicationMethod,
      ...(selection.replicationKey !== undefined ? { replicationKey: selection.replicationKey } : {}),
      runStartedAt,
      logger,
    };
    const command = stream.countRequest?.(ctx);
    if (command) commands.set(stream.name, command);
    else counts.set(stream.name, { kind: 'not_counted', why: stream.notCountable ?? 'no count request' });
  }
  let pending = [...commands.keys()];
  for (let attempt = 0; pending.length > 0; attempt++) {
    const again: string[] = [];
    for (let i = 0; i < pending.length; i += MAX_BATCH_COMMANDS) {
      const names = pending.slice(i, i + MAX_BATCH_COMMANDS);
      const batch: Record<string, BatchCommand> = {};
      names.forEach((name, n) => {
        batch[`s${n}`] = commands.get(name)!;
      });
      let answer: BatchResponse;
      try {
        answer = await client.batch(batch);
      } catch (error) {
        // The whole batch failed after the client's retries: these streams are not counted.
        if (!(error instanceof Bitrix24Error)) throw error;
        for (const name of names) counts.set(name, { kind: 'failed', why: oneLine(error.message) });
        continue;
      }
      names.forEach((name, n) => {
        const id = `s${n}`;
        const error = answer.errors[id];
        const method = commands.get(name)!.method;
        if (error?.retryable && attempt < COUNT_RETRIES) again.push(name);
        else if (error) counts.set(name, { kind: 'failed', why: oneLine(error.message) });
        else if (answer.total[id] === undefined || Number.isNaN(answer.total[id]))
          counts.set(name, { kind: 'not_counted', why: `${method} answered no total` });
        else counts.set(name, { kind: 'counted', total: answer.total[id]! });
      });
    }
    pending = again;
  }
  return counts;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
