/**
 * How the engine schedules streams: a small pool that runs streams of different Bitrix24 methods
 * side by side (each method has its own operating budget), longest streams first.
 */
import type { Stream } from '../streams/stream.js';

/**
 * Which streams start first: the per-deal children (they cost the most server time and so set
 * the run's length), then the big CRM lists, then dictionaries and metadata, which are quick.
 */
export function startPriority(stream: Stream): number {
  if (stream.parent !== undefined) return 0;
  if (stream.group === 'crm' || stream.group === 'smart_processes') return 1;
  return 2;
}

/**
 * At most `size` at once, in list order except that an item whose method is already running waits
 * while an item of an idle method can go (each method has its own operating budget). Results in
 * input order.
 */
export async function pool<T, R>(
  items: readonly T[],
  size: number,
  methodOf: (item: T) => string | undefined,
  run: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  const pending = items.map((item, index) => ({ item, index, method: methodOf(item) }));
  const running = new Map<string, number>();
  const worker = async () => {
    while (pending.length > 0) {
      const idle = pending.findIndex((p) => p.method === undefined || !running.get(p.method));
      const [next] = pending.splice(Math.max(idle, 0), 1);
      const method = next!.method;
      if (method) running.set(method, (running.get(method) ?? 0) + 1);
      try {
        results[next!.index] = await run(next!.item);
      } finally {
        if (method) running.set(method, running.get(method)! - 1);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return results;
}
