/**
 * HTTP to the portal: one keep-alive undici Agent (a pool per origin), JSON POST bodies, a
 * deadline per request, a `User-Agent`. Redirects are followed by hand: a portal that changed
 * its address answers 302, and following it as a GET would drop the POST body
 * (FACTS §1.1, `change-domen.md`), so the same body is POSTed again to `Location`.
 */
import { Agent, type Dispatcher } from 'undici';
import { TransportError } from './errors.js';

const MAX_REDIRECTS = 5;

export interface TransportOptions {
  timeoutMs: number;
  userAgent: string;
  ca?: string;
  connections?: number;
}

export interface RawAnswer {
  status: number;
  contentType: string;
  text: string;
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
        text: '',
        location: Array.isArray(location) ? location[0] : location,
      };
    }
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      throw this.failure(error, method, outer);
    }
    const type = response.headers['content-type'];
    return { status, contentType: (Array.isArray(type) ? type[0] : type) ?? '', text };
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
