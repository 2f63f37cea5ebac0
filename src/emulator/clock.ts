/**
 * The emulated portal clock. Every emulated duration (bucket drain, operating baskets, token
 * lifetimes, processing time) is measured on this clock, which runs `timeScale` times faster than
 * real time, so tests can make ten-minute limits bind in a second.
 */
export class Clock {
  private readonly realStart = performance.now();

  constructor(
    readonly timeScale: number,
    /** Emulated ms since epoch at the moment the clock was made. */
    readonly emulatedStart: number = Date.now(),
  ) {
    if (!(timeScale > 0)) throw new RangeError(`time scale must be positive, got ${timeScale}`);
  }

  /** Emulated ms since epoch. */
  now(): number {
    return this.emulatedStart + (performance.now() - this.realStart) * this.timeScale;
  }

  /** Emulated seconds since epoch (fractional), the unit of `time.start`/`time.finish`. */
  nowSeconds(): number {
    return this.now() / 1000;
  }

  /** Real ms that `emulatedSeconds` of emulated time take. */
  realMs(emulatedSeconds: number): number {
    return (emulatedSeconds * 1000) / this.timeScale;
  }

  /** Waits `emulatedSeconds` of emulated time. */
  sleep(emulatedSeconds: number): Promise<void> {
    const ms = this.realMs(emulatedSeconds);
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}
