/**
 * Each source's trigger as a croner job inside the console. A tick while the source's run is
 * still going starts nothing (the run manager hands back the run already going).
 */
import { Cron } from 'croner';
import type { RunManager } from './run-manager.js';
import type { SourceStore, StoredSource } from './source-store.js';

export class SourceScheduler {
  private readonly jobs = new Map<string, Cron>();

  constructor(
    private readonly store: SourceStore,
    private readonly runs: RunManager,
  ) {}

  /** (Re)creates every source's job from the store. */
  startAll(): void {
    for (const source of this.store.list()) this.schedule(source);
  }

  schedule(source: StoredSource): void {
    this.unschedule(source.id);
    const cron = source.trigger.cron;
    if (!cron) return;
    const job = new Cron(cron, { protect: true, catch: true }, () => {
      if (!this.runs.isRunning(source.id) && this.store.get(source.id))
        this.runs.start(source.id, 'schedule');
    });
    this.jobs.set(source.id, job);
  }

  unschedule(id: string): void {
    this.jobs.get(id)?.stop();
    this.jobs.delete(id);
  }

  nextRun(id: string): Date | undefined {
    return this.jobs.get(id)?.nextRun() ?? undefined;
  }

  stopAll(): void {
    for (const id of [...this.jobs.keys()]) this.unschedule(id);
  }
}
