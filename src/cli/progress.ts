/**
 * Per-stream progress of a sync on stderr: live bars on a terminal, a plain line per stream every
 * few seconds otherwise (CI logs, cron mail), so a long run never looks hung.
 */
import cliProgress from 'cli-progress';
import type { SyncProgress } from '../sync/engine.js';

export interface ProgressReporter {
  onProgress(p: SyncProgress): void;
  /** A line of its own (e.g. still waiting for the portal), printed so it does not break the bars. */
  note(line: string): void;
  stop(): void;
}

interface Options {
  out?: NodeJS.WriteStream;
  /** Seconds between plain lines when not on a terminal. */
  intervalSeconds?: number;
}

export function createProgressReporter(options: Options = {}): ProgressReporter {
  const out = options.out ?? process.stderr;
  return out.isTTY ? barReporter(out) : lineReporter(out, options.intervalSeconds ?? 10);
}

/** Nothing at all, for --json runs that want stderr quiet apart from logs. */
export function silentProgress(): ProgressReporter {
  return { onProgress: () => undefined, note: () => undefined, stop: () => undefined };
}

function payload(p: SyncProgress) {
  return {
    stream: p.stream.padEnd(22),
    phase: p.phase.padEnd(7),
    rows: String(p.rows).padStart(7),
    requests: String(p.requests).padStart(5),
    wait: (p.limitWaitMs / 1000).toFixed(1).padStart(5),
  };
}

function barReporter(out: NodeJS.WriteStream): ProgressReporter {
  const multi = new cliProgress.MultiBar({
    stream: out,
    format: '{stream} {phase} {rows} rows {requests} req {wait}s limit wait',
    hideCursor: true,
    clearOnComplete: false,
    fps: 5,
  });
  const bars = new Map<string, cliProgress.SingleBar>();
  return {
    onProgress(p) {
      const bar = bars.get(p.stream);
      if (bar) bar.update(p.rows, payload(p));
      else bars.set(p.stream, multi.create(0, p.rows, payload(p)));
    },
    note(line) {
      if (bars.size === 0) out.write(line);
      else multi.log(line);
    },
    stop() {
      multi.stop();
    },
  };
}

function lineReporter(out: NodeJS.WritableStream, intervalSeconds: number): ProgressReporter {
  const latest = new Map<string, SyncProgress>();
  const printed = new Map<string, number>();
  const line = (p: SyncProgress) =>
    `${p.stream}: ${p.phase}, ${p.rows} rows, ${p.requests} requests, ${(p.limitWaitMs / 1000).toFixed(1)}s limit wait${p.error ? ` (${p.error})` : ''}\n`;
  const timer = setInterval(() => {
    for (const [stream, p] of latest) {
      if (p.phase === 'running' && printed.get(stream) !== p.rows) {
        out.write(line(p));
        printed.set(stream, p.rows);
      }
    }
  }, intervalSeconds * 1000);
  timer.unref();
  return {
    onProgress(p) {
      latest.set(p.stream, p);
      if (p.phase === 'done' || p.phase === 'failed') out.write(line(p));
    },
    note(text) {
      out.write(text);
    },
    stop() {
      clearInterval(timer);
    },
  };
}
