/**
 * What discovery learns from one portal: granted scopes, field descriptors and smart-process
 * types, each fetched once. The `*.fields` calls of every family go out together in one batch.
 * A call refused for lack of scope or permission makes the stream unavailable, with the reason.
 */
import { type BatchCommand, type Bitrix24Client, Bitrix24Error, ScopeError } from '../../client/index.js';
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
    const fresh = commands.filter((c) => !this.answers.has(keyOf(c)));
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

  /** The raw result of a describe call; throws StreamUnavailable when refused for scope/permission. */
  async describe(command: BatchCommand): Promise<unknown> {
    const key = keyOf(command);
    if (!this.answers.has(key)) await this.prefetch([command]);
    const answer = await (this.answers.get(key) as Promise<Fetched>);
    if (answer.ok) return answer.result;
    if (answer.error instanceof ScopeError) {
      throw new StreamUnavailable(
        `${command.method} was refused: ${answer.error.code || 'ACCESS_DENIED'} ${answer.error.description}`.trim(),
      );
    }
    throw answer.error;
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
        if (error instanceof ScopeError)
          throw new StreamUnavailable(`crm.type.list was refused: ${error.description}`);
        throw error;
      }
      return out.sort((a, b) => a.entityTypeId - b.entityTypeId);
    })();
    return this.spaTypesAnswer;
  }
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
