/**
 * Reads a raw HTTP answer as Bitrix's envelope: `{result, total, next, time}` or
 * `{error, error_description}` (`list-methods-pecularities.md`, `error-codes.md`). Anything
 * else (an nginx HTML page, a truncated or malformed body) is a retryable TransportError.
 */
import { errorFromAnswer, TransportError } from './errors.js';
import { bodyText, JsonTooDeep, parseJsonBody } from './json-body.js';
import type { BitrixTime, CallResponse } from './options.js';
import type { RawAnswer } from './transport.js';

/** Real envelopes nest under 10 deep (batch → result → items → row → multifield); anything far deeper is hostile. */
export const MAX_ANSWER_DEPTH = 64;

export function readAnswer<T>(raw: RawAnswer, method: string): CallResponse<T> {
  let body: unknown;
  try {
    body = parseJsonBody(raw.body, MAX_ANSWER_DEPTH);
  } catch (error) {
    // Every later walk of the answer (redaction, JSON columns, Singer output) recurses.
    if (error instanceof JsonTooDeep) {
      throw new TransportError({
        code: 'ANSWER_TOO_DEEP',
        method,
        httpStatus: raw.status,
        description: `the answer nests JSON more than ${MAX_ANSWER_DEPTH} levels deep; refusing it`,
      });
    }
    const html = /html/i.test(raw.contentType) || bodyText(raw.body).trimStart().startsWith('<');
    throw new TransportError({
      code: html ? 'HTML_ANSWER' : 'MALFORMED_JSON',
      method,
      httpStatus: raw.status,
      description: html
        ? 'the portal answered with an HTML page'
        : `unreadable JSON answer (${raw.body.length} bytes)`,
      retryable: true,
    });
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new TransportError({
      code: 'MALFORMED_JSON',
      method,
      httpStatus: raw.status,
      description: 'the answer is not a JSON object',
      retryable: true,
    });
  }
  const envelope = body as Record<string, unknown>;
  if ('error' in envelope && !('result' in envelope)) {
    throw errorFromAnswer(method, raw.status, envelope.error, envelope.error_description);
  }
  if (raw.status >= 400 || !('result' in envelope)) {
    throw errorFromAnswer(
      method,
      raw.status,
      envelope.error ?? 'UNEXPECTED_ANSWER',
      envelope.error_description ?? '',
    );
  }
  const out: CallResponse<T> = { result: envelope.result as T };
  if (typeof envelope.total === 'number') out.total = envelope.total;
  if (typeof envelope.next === 'number') out.next = envelope.next;
  const time = readTime(envelope.time);
  if (time) out.time = time;
  return out;
}

/** A `time` object with numbers normalised (`operating_reset_at` is an ISO string in one doc example). */
export function readTime(value: unknown): BitrixTime | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const t = value as Record<string, unknown>;
  const num = (v: unknown): number | undefined => {
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && v !== '') {
      const n = Number(v);
      if (Number.isFinite(n)) return n;
      const ms = Date.parse(v);
      if (Number.isFinite(ms)) return ms / 1000;
    }
    return undefined;
  };
  return {
    start: num(t.start) ?? 0,
    finish: num(t.finish) ?? 0,
    duration: num(t.duration) ?? 0,
    processing: num(t.processing) ?? 0,
    date_start: typeof t.date_start === 'string' ? t.date_start : '',
    date_finish: typeof t.date_finish === 'string' ? t.date_finish : '',
    operating: num(t.operating),
    operating_reset_at: num(t.operating_reset_at),
  };
}
