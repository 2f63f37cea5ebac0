/**
 * Counts the requests made on behalf of one piece of work (a stream of a sync) while other work
 * shares the same client: the tally follows the async context, so concurrent streams never count
 * each other's requests.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestTally {
  requests: number;
  /** Milliseconds spent waiting for the request bucket and operating budgets. */
  limitWaitMs: number;
}

const active = new AsyncLocalStorage<RequestTally>();

/** Runs `work` with every request it makes (through any client) counted in `tally`. */
export function tallyRequests<T>(tally: RequestTally, work: () => T): T {
  return active.run(tally, work);
}

export function currentTally(): RequestTally | undefined {
  return active.getStore();
}
