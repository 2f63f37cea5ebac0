/**
 * Runs of a source through the connector's own `syncPortal` (the same path as `tap-bitrix24
 * sync`), with live progress per stream and a history kept in DIR/runs/<source>.json. A source
 * never has two runs at once: asking again returns the run already going.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClientLogger } from '../client/index.js';
import type { StreamLogger } from '../streams/stream.js';
import { checkConfig } from '../sync/config.js';
import type { SyncProgress, SyncSummary } from '../sync/engine.js';
import { explainFailure } from '../sync/explain-failure.js';
import { syncPortal } from '../sync/run.js';
import { type VerifyReport, verifyPortal } from '../sync/verify.js';
import { CatalogReader } from './catalog.js';
import { DatabaseGate } from './database-gate.js';
import type { SourceStore } from './source-store.js';

export interface RunRecord {
  id: string;
  sourceId: string;
  trigger: 'manual' | 'schedule';
  status: 'running' | 'ok' | 'failed';
  startedAt: string;
  finishedAt?: string;
  /** Live progress per stream, in the order streams first reported. */
  progress: Record<string, SyncProgress>;
  summary?: SyncSummary;
  /** Why the whole run failed (it could not start, or the portal refused it), in plain words. */
  error?: string;
  unavailable?: { name: string; reason: string }[];
}

const HISTORY_LIMIT = 50;

const quiet: StreamLogger & ClientLogger = { debug() {}, info() {}, warn() {}, error() {} };

export class RunManager {
  private readonly active = new Map<string, RunRecord>();
  private readonly finished = new Map<string, Promise<void>>();
  private readonly runsDir: string;
  private readonly warming = new Set<Promise<void>>();
  private sequence = 0;

  constructor(
    private readonly store: SourceStore,
    readonly catalog: CatalogReader = new CatalogReader(),
    readonly gate: DatabaseGate = new DatabaseGate(),
  ) {
    this.runsDir = join(store.dataDir, 'runs');
    mkdirSync(this.runsDir, { recursive: true, mode: 0o700 });
  }

  /** Starts a run, or returns the one already going for this source. */
  start(sourceId: string, trigger: RunRecord['trigger'] = 'manual'): RunRecord {
    const going = this.active.get(sourceId);
    if (going) return going;
    const source = this.store.get(sourceId);
    if (!source) throw new Error(`no source ${sourceId}`);
    const run: RunRecord = {
      id: `${sourceId}-${Date.now().toString(36)}-${(this.sequence++).toString(36)}`,
      sourceId,
      trigger,
      status: 'running',
      startedAt: new Date().toISOString(),
      progress: {},
    };
    this.active.set(sourceId, run);
    const done = this.execute(run, source.config).finally(() => {
      this.active.delete(sourceId);
      this.finished.delete(run.id);
      this.warm(sourceId);
    });
    this.finished.set(run.id, done);
    return run;
  }

  /**
   * Verifies a source's tables against the portal's counts (one counted request per stream) and
   * records the finding in its database, where the catalog page reads it. Waits for a run of the
   * source to end first: both need the DuckDB file.
   */
  async verify(sourceId: string): Promise<VerifyReport> {
    const source = this.store.get(sourceId);
    if (!source) throw new Error(`no source ${sourceId}`);
    const config = checkConfig(source.config);
    const target = this.store.databasePath(sourceId);
    return this.gate.exclusive(sourceId, () => {
      this.catalog.release(target);
      return verifyPortal({ config, target, logger: quiet });
    });
  }

  isRunning(sourceId: string): boolean {
    return this.active.has(sourceId);
  }

  activeRun(sourceId: string): RunRecord | undefined {
    return this.active.get(sourceId);
  }

  /** Resolves when the run ends (immediately for a finished run). */
  async wait(runId: string): Promise<void> {
    await this.finished.get(runId);
  }

  /** Newest first; the run going (if any) included. */
  history(sourceId: string): RunRecord[] {
    const going = this.active.get(sourceId);
    const past = this.readHistory(sourceId);
    return going ? [going, ...past] : past;
  }

  find(runId: string): RunRecord | undefined {
    for (const run of this.active.values()) if (run.id === runId) return run;
    const sourceId = runId.replace(/-[^-]+-[^-]+$/, '');
    return this.readHistory(sourceId).find((r) => r.id === runId);
  }

  lastRun(sourceId: string): RunRecord | undefined {
    return this.history(sourceId)[0];
  }

  /** Drops a deleted source's run history. */
  forget(sourceId: string): void {
    rmSync(this.historyFile(sourceId), { force: true });
  }

  /**
   * Reads a source's catalog in the background, so the next catalog page finds the file already
   * open (opening a DuckDB file with hundreds of tables takes most of a second).
   */
  warm(sourceId: string): void {
    if (this.active.has(sourceId)) return;
    const path = this.store.databasePath(sourceId);
    const warming = this.gate
      .exclusive(sourceId, () => this.catalog.tables(path))
      .then(
        () => undefined,
        () => undefined,
      );
    this.warming.add(warming);
    void warming.finally(() => this.warming.delete(warming));
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.finished.values()]);
    await Promise.allSettled([...this.warming]);
    this.catalog.releaseAll();
  }

  private async execute(run: RunRecord, rawConfig: Record<string, unknown>): Promise<void> {
    try {
      const config = checkConfig(rawConfig);
      const target = this.store.databasePath(run.sourceId);
      const result = await this.gate.exclusive(run.sourceId, () => {
        this.catalog.release(target);
        return syncPortal({
          config,
          target,
          logger: quiet,
          onProgress: (p) => {
            run.progress[p.stream] = { ...p };
          },
        });
      });
      run.summary = result.summary;
      run.unavailable = result.unavailable;
      run.status = result.summary.ok ? 'ok' : 'failed';
      if (!result.summary.ok) {
        const notOk = result.summary.streams.filter(
          (s) => s.status === 'failed' || s.status === 'unavailable',
        );
        run.error = `${notOk.length} stream(s) failed or unavailable: ${notOk.map((s) => s.stream).join(', ')}`;
      } else if (result.modelsNotBuilt !== undefined) {
        run.status = 'failed';
        run.error = `the rows are in; the models were not rebuilt: ${result.modelsNotBuilt}`;
      }
    } catch (error) {
      run.status = 'failed';
      run.error = plainError(error);
    } finally {
      run.finishedAt = new Date().toISOString();
      this.append(run);
    }
  }

  private historyFile(sourceId: string): string {
    return join(this.runsDir, `${sourceId}.json`);
  }

  private readHistory(sourceId: string): RunRecord[] {
    const file = this.historyFile(sourceId);
    if (!existsSync(file)) return [];
    return JSON.parse(readFileSync(file, 'utf8')) as RunRecord[];
  }

  private append(run: RunRecord): void {
    const runs = [run, ...this.readHistory(run.sourceId)].slice(0, HISTORY_LIMIT);
    const file = this.historyFile(run.sourceId);
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(runs), { mode: 0o600 });
    renameSync(temp, file);
  }
}

/** An error as an analyst can act on it, in the words `sync` uses; secrets are already redacted. */
export function plainError(error: unknown): string {
  return explainFailure(error);
}
