/**
 * HTTP to the portal: one keep-alive undici Agent (a pool per origin), JSON POST bodies, a
 * deadline per request, a `User-Agent`. Redirects are followed by hand: a portal that changed
 * its address answers 302, and following it as a GET would drop the POST body
 * (`settings/how-to-call-rest-api/change-domen.md`), so the same body is POSTed again to
 * `Location`.
 */
import { Agent, type Dispatcher } from 'undici';
import { TransportError } from './errors.js';

const MAX_REDIRECTS = 5;
/** Real answers are a few hundred KB (a 50×50 chained batch ~2 MB); a hostile or broken peer must not fill memory. */
export const DEFAULT_MAX_ANSWER_BYTES = 64 * 1024 * 1024;

export interface TransportOptions {
  timeoutMs: number;
  userAgent: string;
  ca?: string;
  connections?: number;
  /** Answers larger than this fail with ANSWER_TOO_LARGE (default 64 MiB). */
  maxAnswerBytes?: number;
}

export interface RawAnswer {
  status: number;
  contentType: string;
  /** The body's bytes, as received (read with `parseJsonBody` or `bodyText`). */
  body: Buffer;
  /** The URL that finally answered (differs from the one asked when the portal moved). */
  url: string;
}

export class Transport {
  private readonly agent: Agent;

  constructor(private readonly options: TransportOptions) {
    this.agent = new Agent({
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 120_000,
      connections: options.connections ?? 32,
      connect: options.ca ? { ca: options.ca } : undefined,
    });
  }

  /** POSTs a JSON body; `method` names the Bitrix method for error messages. */
  async postJson(url: string, body: unknown, method: string, signal?: AbortSignal): Promise<RawAnswer> {
    return this.send(url, 'POST', JSON.stringify(body), method, signal);
  }

  /** A GET (the OAuth token endpoint takes its parameters in the query string). */
  async get(url: string, method: string, signal?: AbortSignal): Promise<RawAnswer> {
    return this.send(url, 'GET', undefined, method, signal);
  }

  private async send(
    url: string,
    verb: 'GET' | 'POST',
    body: string | undefined,
    method: string,
    signal?: AbortSignal,
  ): Promise<RawAnswer> {
    let target = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const answer = await this.once(target, verb, body, method, signal);
      if (answer.location === undefined) return { ...answer, url: target };
      target = new URL(answer.location, target).toString();
    }
    throw new TransportError({
      code: 'TOO_MANY_REDIRECTS',
      method,
      description: 'the portal redirected too many times',
    });
  }

  private async once(
    url: string,
    verb: 'GET' | 'POST',
    body: string | undefined,
    method: string,
    outer?: AbortSignal,
  ): Promise<Omit<RawAnswer, 'url'> & { location?: string }> {
    const deadline = AbortSignal.timeout(this.options.timeoutMs);
    const signal = outer ? AbortSignal.any([outer, deadline]) : deadline;
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': this.options.userAgent,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Dispatcher.ResponseData;
    try {
      response = await this.agent.request({
        origin: new URL(url).origin,
        path: new URL(url).pathname + new URL(url).search,
        method: verb,
        headers,
        body,
        signal,
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
    } catch (error) {
      throw this.failure(error, method, outer);
    }
    const status = response.statusCode;
    const location = response.headers.location;
    if (status >= 300 && status < 400 && location !== undefined) {
      await response.body.dump();
      return {
        status,
        contentType: '',
        body: Buffer.alloc(0),
        location: Array.isArray(location) ? location[0] : location,
      };
    }
    const bytes = await this.readCapped(response, method, outer);
    const type = response.headers['content-type'];
    return { status, contentType: (Array.isArray(type) ? type[0] : type) ?? '', body: bytes };
  }

  /** The body's bytes, refusing to buffer more than the cap (checked as bytes arrive, not only from Content-Length). */
  private async readCapped(
    response: Dispatcher.ResponseData,
    method: string,
    outer?: AbortSignal,
  ): Promise<Buffer> {
    const cap = this.options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
    const tooLarge = () => {
      response.body.destroy();
      return new TransportError({
        code: 'ANSWER_TOO_LARGE',
        method,
        description: `the answer is larger than ${cap} bytes; refusing to read it`,
      });
    };
    if (Number(response.headers['content-length'] ?? 0) > cap) throw tooLarge();
    // Kept as bytes, off the JavaScript heap: decoding waits until the whole body is here, so the
    // parser gets one flat string (json-body.ts).
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body) {
        size += (chunk as Buffer).length;
        if (size > cap) throw tooLarge();
        chunks.push(chunk as Buffer);
      }
    } catch (error) {
      if (error instanceof TransportError) throw error;
      throw this.failure(error, method, outer);
    }
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
  }

  private failure(error: unknown, method: string, outer?: AbortSignal): Error {
    if (outer?.aborted) return outer.reason instanceof Error ? outer.reason : new Error('aborted');
    const err = error as { code?: string; name?: string; message?: string };
    const timeout = err.name === 'TimeoutError' || /timeout/i.test(err.code ?? '');
    return new TransportError({
      code: timeout ? 'TIMEOUT' : (err.code ?? 'NETWORK_ERROR'),
      method,
      description: timeout ? `no answer within ${this.options.timeoutMs} ms` : (err.message ?? String(error)),
      retryable: true,
    });
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
