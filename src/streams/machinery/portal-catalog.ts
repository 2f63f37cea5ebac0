/**
 * What discovery learns from one portal: granted scopes, field descriptors and smart-process
 * types, each fetched once. The `*.fields` calls of every family go out together in one batch.
 * Any error answer to one of these calls (a method the portal's edition lacks, a refusal for scope
 * or permission, a failure that outlasted the retries) makes the streams that need it
 * unavailable, with a one-line reason, and leaves every other stream alone.
 */
import {
  type BatchCommand,
  type Bitrix24Client,
  Bitrix24Error,
  NotFoundError,
  ScopeError,
} from '../../client/index.js';
import type { FieldMap } from '../declaration.js';
import type { StreamLogger, StreamOptions } from '../stream.js';

/** A stream this portal cannot serve; `reason` is shown by `check` and kept in the Discovery. */
export class StreamUnavailable extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'StreamUnavailable';
  }
}

export interface SpaType {
  id: number;
  entityTypeId: number;
  title: string;
  isCategoriesEnabled: boolean;
  isStagesEnabled: boolean;
}

type Fetched = { ok: true; result: unknown } | { ok: false; error: Bitrix24Error };

export class PortalCatalog {
  private readonly answers = new Map<string, Promise<Fetched>>();
  private spaTypesAnswer?: Promise<SpaType[]>;

  constructor(
    readonly client: Bitrix24Client,
    readonly options: StreamOptions,
    readonly logger: StreamLogger,
    readonly scopes: ReadonlySet<string>,
  ) {}

  hasAnyScope(needed: readonly string[]): boolean {
    return needed.some((scope) => this.scopes.has(scope));
  }

  missingScopeReason(needed: readonly string[]): string {
    const granted = [...this.scopes].sort().join(',') || 'none';
    return `needs scope ${needed.join(' or ')}; the credentials have ${granted}`;
  }

  /** Fetches many describe calls in as few requests as possible; answers are kept for `fields`. */
  async prefetch(commands: readonly BatchCommand[]): Promise<void> {
    // Several families describe the same method (an entity and its analyst `*_fields` stream):
    // each call once, since every describe call costs the portal operating time.
    const fresh = [...new Map(commands.map((c) => [keyOf(c), c])).values()].filter(
      (c) => !this.answers.has(keyOf(c)),
    );
    if (fresh.length === 0) return;
    const settled = new Map<number, Fetched>();
    const done = (async () => {
      for await (const answer of this.client.callMany(fresh)) {
        settled.set(
          answer.index,
          answer.error ? { ok: false, error: answer.error } : { ok: true, result: answer.result },
        );
      }
    })();
    fresh.forEach((command, i) => {
      this.answers.set(
        keyOf(command),
        done.then(
          () => settled.get(i) ?? { ok: false, error: missingAnswer(command.method) },
          (error: unknown) => ({ ok: false, error: asBitrixError(error, command.method) }),
        ),
      );
    });
    await done.catch(() => undefined);
  }

  /** The raw result of a describe call; throws StreamUnavailable when the portal answered an error. */
  async describe(command: BatchCommand): Promise<unknown> {
    const key = keyOf(command);
    if (!this.answers.has(key)) await this.prefetch([command]);
    const answer = await (this.answers.get(key) as Promise<Fetched>);
    if (answer.ok) return answer.result;
    throw new StreamUnavailable(unavailableReason(command.method, answer.error));
  }

  /** Field descriptors of a `*.fields` method, unwrapping crm.item.fields' `fields` member. */
  async fields(command: BatchCommand): Promise<FieldMap> {
    const result = await this.describe(command);
    const map =
      isRecord(result) && isRecord(result.fields) && !('type' in result.fields) ? result.fields : result;
    if (!isRecord(map)) throw new StreamUnavailable(`${command.method} returned no field descriptors`);
    return map as FieldMap;
  }

  /** Smart-process types (crm.type.list), read once per discovery. */
  spaTypes(): Promise<SpaType[]> {
    this.spaTypesAnswer ??= (async () => {
      const out: SpaType[] = [];
      try {
        for await (const rows of this.client.list<Record<string, unknown>>('crm.type.list', {})) {
          for (const row of rows) {
            out.push({
              id: Number(row.id),
              entityTypeId: Number(row.entityTypeId),
              title: String(row.title ?? ''),
              isCategoriesEnabled: flag(row.isCategoriesEnabled),
              isStagesEnabled: flag(row.isStagesEnabled),
            });
          }
        }
      } catch (error) {
        if (error instanceof Bitrix24Error)
          throw new StreamUnavailable(unavailableReason('crm.type.list', error));
        throw error;
      }
      return out.sort((a, b) => a.entityTypeId - b.entityTypeId);
    })();
    return this.spaTypesAnswer;
  }
}

/** One line naming the method and what the portal answered; secrets are already redacted. */
export function unavailableReason(method: string, error: Bitrix24Error): string {
  const code = error.code || 'error';
  const status = error.httpStatus === undefined ? '' : `, HTTP ${error.httpStatus}`;
  const said = error.description ? `: ${error.description}` : '';
  const answer = `${code}${status}${said}`.replace(/\s+/g, ' ').trim();
  if (error instanceof NotFoundError && code.toUpperCase() === 'ERROR_METHOD_NOT_FOUND')
    return `the portal does not offer ${method} (${answer})`;
  if (error instanceof ScopeError) return `${method} was refused (${answer})`;
  return `${method} failed (${answer})`;
}

function keyOf(command: BatchCommand): string {
  return `${command.method.toLowerCase()} ${JSON.stringify(command.params ?? {})}`;
}

function flag(value: unknown): boolean {
  return value === true || value === 'Y' || value === 1 || value === '1';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function missingAnswer(method: string): Bitrix24Error {
  return new Bitrix24Error({
    code: 'NO_ANSWER',
    method,
    description: 'batch returned no answer for this command',
  });
}

function asBitrixError(error: unknown, method: string): Bitrix24Error {
  if (error instanceof Bitrix24Error) return error;
  return new Bitrix24Error({
    code: 'ERROR',
    method,
    description: error instanceof Error ? error.message : String(error),
  });
}
