/**
 * The portal's clock as seen through answers (`time.finish`, unix seconds). Waits for an
 * operating budget are known in portal seconds (`operating_reset_at` − `time.finish`); turning
 * them into local milliseconds needs the portal clock's rate, which is 1 on a real portal and the
 * time scale on an accelerated emulator. The rate is measured from answers; anything below 2 is
 * treated as 1, so a real portal's jitter never shortens a wait.
 */

const MIN_LOCAL_SPAN_MS = 50;

interface Reading {
  portal: number;
  local: number;
}

export class PortalClock {
  private first?: Reading;
  private last?: Reading;

  observe(portalSeconds: number, localMs = Date.now()): void {
    if (!(portalSeconds > 0)) return;
    const reading = { portal: portalSeconds, local: localMs };
    this.first ??= reading;
    if (!this.last || portalSeconds >= this.last.portal) this.last = reading;
  }

  /** True once answers span enough real time to tell the portal clock's rate. */
  measured(): boolean {
    return (
      this.first !== undefined &&
      this.last !== undefined &&
      this.last.local - this.first.local >= MIN_LOCAL_SPAN_MS
    );
  }

  /** Portal seconds per real second. */
  rate(): number {
    if (!this.first || !this.last) return 1;
    const localSpan = this.last.local - this.first.local;
    if (localSpan < MIN_LOCAL_SPAN_MS) return 1;
    const measured = (this.last.portal - this.first.portal) / (localSpan / 1000);
    return measured >= 2 ? measured : 1;
  }

  /** Estimated portal time now, unix seconds (undefined before any answer). */
  now(): number | undefined {
    if (!this.last) return undefined;
    return this.last.portal + ((Date.now() - this.last.local) / 1000) * this.rate();
  }

  /** Local ms until the portal's clock reaches `portalSeconds`. */
  msUntil(portalSeconds: number): number {
    const now = this.now();
    if (now === undefined) return 0;
    return Math.max(0, ((portalSeconds - now) / this.rate()) * 1000);
  }
}
