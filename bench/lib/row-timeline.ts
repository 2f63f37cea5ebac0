/** Rows exported over time in a child process, and its peak resident memory. */
import { readFileSync } from 'node:fs';

const MAX_POINTS = 300;

export class RowTimeline {
  rows = 0;
  private readonly started = performance.now();
  private readonly samples: [number, number][] = [[0, 0]];

  add(n: number): void {
    this.set(this.rows + n);
  }

  set(total: number): void {
    this.rows = total;
    this.samples.push([(performance.now() - this.started) / 1000, total]);
  }

  /** [seconds since start, rows so far], thinned to at most MAX_POINTS. */
  points(): [number, number][] {
    const step = Math.ceil(this.samples.length / MAX_POINTS);
    const kept = this.samples.filter((_, i) => i % step === 0);
    const last = this.samples[this.samples.length - 1];
    if (kept[kept.length - 1] !== last) kept.push(last);
    return kept.map(([t, r]) => [Number(t.toFixed(3)), r]);
  }

  /** Peak RSS (VmHWM) of this process, MB; falls back to the current RSS off Linux. */
  static peakRssMb(): number {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
      if (match) return Math.round(Number(match[1]) / 1024);
    } catch {
      // not Linux
    }
    return Math.round(process.memoryUsage().rss / 1e6);
  }
}
