/**
 * Makes this process live on the emulated portal's clock: with BENCH_TIME_WARP=k, Date.now,
 * performance.now and timers run k times faster. Every client's own rate limiter (ours, the SDK's,
 * p-queue in @2bad/bitrix) then paces itself in portal seconds, as it would against a real portal,
 * instead of being k times too cautious. Imported first by the child scripts.
 */
const warp = Number(process.env.BENCH_TIME_WARP ?? '1');

if (warp > 1) {
  const realDateNow = Date.now.bind(Date);
  const realPerfNow = performance.now.bind(performance);
  const dateStart = realDateNow();
  const perfStart = realPerfNow();
  Date.now = () => dateStart + (realDateNow() - dateStart) * warp;
  Object.defineProperty(performance, 'now', {
    value: () => perfStart + (realPerfNow() - perfStart) * warp,
    configurable: true,
  });
  const realSetTimeout = globalThis.setTimeout;
  const realSetInterval = globalThis.setInterval;
  const scaled = (ms: unknown) => (typeof ms === 'number' && ms > 0 ? ms / warp : ms);
  globalThis.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) =>
    realSetTimeout(fn, scaled(ms) as number, ...args)) as typeof setTimeout;
  globalThis.setInterval = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) =>
    realSetInterval(fn, scaled(ms) as number, ...args)) as typeof setInterval;
}

export const TIME_WARP = Math.max(1, warp);
