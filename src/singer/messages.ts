/**
 * Singer messages and the stdout writer that carries them. In Singer mode stdout is a pipe to a
 * target: each message is one JSON line, written in order, waiting for 'drain' when the pipe is
 * full, and a target that exits early (EPIPE) ends the run quietly instead of crashing it.
 */
import type { JsonSchema } from '../schema/index.js';

export interface SchemaMessage {
  type: 'SCHEMA';
  stream: string;
  schema: JsonSchema;
  key_properties: string[];
  bookmark_properties?: string[];
}

export interface RecordMessage {
  type: 'RECORD';
  stream: string;
  record: Record<string, unknown>;
  /** RFC 3339, UTC. */
  time_extracted: string;
  /** Present on FULL_TABLE streams: the table version that ACTIVATE_VERSION later makes live. */
  version?: number;
}

export interface StateMessage {
  type: 'STATE';
  value: Record<string, unknown>;
}

export interface ActivateVersionMessage {
  type: 'ACTIVATE_VERSION';
  stream: string;
  version: number;
}

export type SingerMessage = SchemaMessage | RecordMessage | StateMessage | ActivateVersionMessage;

/** About 256 KB of lines per write: few system calls, little text held at once. */
const CHUNK_CHARS = 256 * 1024;

/** The target closed stdout; nothing more can be delivered. */
export class OutputClosedError extends Error {
  constructor() {
    super('stdout was closed by the reader (the target exited); stopping');
    this.name = 'OutputClosedError';
  }
}

export function rfc3339(date: Date): string {
  return date.toISOString();
}

export interface MessageWriterOptions {
  /** Called once when the reader goes away (EPIPE); the caller stops the run. */
  onClosed?: () => void;
}

/**
 * Writes Singer messages to a stream (stdout in production). Writes are strictly ordered: each
 * `write` resolves once the line is accepted, waiting for 'drain' when the pipe is full.
 */
export class MessageWriter {
  private closed = false;
  private readonly out: NodeJS.WritableStream;
  private readonly onClosed?: () => void;
  private pendingDrain: Promise<void> | undefined;
  private releaseDrain: (() => void) | undefined;
  private failure: Error | undefined;
  private written = 0;

  constructor(out: NodeJS.WritableStream, options: MessageWriterOptions = {}) {
    this.out = out;
    this.onClosed = options.onClosed;
    out.on('error', (error: NodeJS.ErrnoException) => {
      // Any other write error also ends delivery; it is reported by the next write.
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') this.failure = error;
      this.markClosed();
    });
    out.on('close', () => this.markClosed());
  }

  /** True once the reader has gone away; further messages are dropped. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Messages accepted so far. */
  get count(): number {
    return this.written;
  }

  async write(message: SingerMessage): Promise<void> {
    await this.writeAll([message]);
  }

  /**
   * Writes messages in order, as few writes of about `CHUNK_CHARS` each: one write per message
   * cost a system call and a promise per record, about as much CPU as serialising it.
   */
  async writeAll(messages: Iterable<SingerMessage>): Promise<void> {
    let chunk = '';
    let lines = 0;
    for (const message of messages) {
      chunk += `${JSON.stringify(message)}\n`;
      lines += 1;
      if (chunk.length >= CHUNK_CHARS) {
        await this.writeChunk(chunk, lines);
        chunk = '';
        lines = 0;
      }
    }
    if (lines > 0) await this.writeChunk(chunk, lines);
  }

  private async writeChunk(chunk: string, lines: number): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.closed) return;
    // Keep lines in order even when several streams write concurrently: wait for any drain first.
    while (this.pendingDrain) await this.pendingDrain;
    if (this.closed) return;
    this.written += lines;
    const accepted = this.out.write(chunk);
    if (!accepted && !this.closed) {
      this.pendingDrain = new Promise<void>((resolve) => {
        const done = (): void => {
          this.out.off('drain', done);
          this.pendingDrain = undefined;
          this.releaseDrain = undefined;
          resolve();
        };
        this.releaseDrain = done;
        this.out.on('drain', done);
      });
      await this.pendingDrain;
    }
  }

  /** Resolves once everything written so far has been handed to the OS. */
  async flush(): Promise<void> {
    if (this.closed) return;
    while (this.pendingDrain) await this.pendingDrain;
    if (this.closed) return;
    await new Promise<void>((resolve) => {
      // An empty write's callback fires after every earlier write has been flushed.
      this.out.write('', () => resolve());
    });
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.releaseDrain?.();
    this.onClosed?.();
  }
}
