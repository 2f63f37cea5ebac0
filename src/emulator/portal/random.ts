/**
 * Deterministic randomness: every generated value is a pure function of (seed, stream, id, slot),
 * so rows can be rebuilt on demand instead of being kept in memory.
 */
export function hash32(a: number, b: number, c: number, d: number): number {
  // Unrolled over (b, c, d): this runs for every generated value, so no per-call array.
  let h = (a ^ 0x9e3779b9) >>> 0;
  h = mix(h, b);
  h = mix(h, c);
  return mix(h, d);
}

function mix(h0: number, v: number): number {
  let h = Math.imul(h0 ^ (v >>> 0), 0x85ebca6b) >>> 0;
  h = (h ^ (h >>> 13)) >>> 0;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** A per-row random source: `next()` yields [0,1) values, deterministically. */
export class RowRandom {
  private slot = 0;
  constructor(
    private readonly seed: number,
    private readonly stream: number,
    private readonly id: number,
  ) {}
  next(): number {
    return hash32(this.seed, this.stream, this.id, this.slot++) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** Stable small integer per stream name, so streams draw independent values. */
export function streamCode(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619) >>> 0;
  return h;
}
