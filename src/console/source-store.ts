/**
 * The console's sources: one JSON file (DIR/sources.json, mode 0600) holding each source's
 * connector config plus what only the console needs (name, description, trigger). Written
 * atomically (temp file + rename) so a crash never leaves half a file.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type TriggerPreset = 'manual' | 'hourly' | 'daily' | 'cron';

export interface SourceTrigger {
  preset: TriggerPreset;
  /** The cron expression when preset is `cron`; derived for the other presets. */
  cron?: string;
}

export interface StoredSource {
  /** A slug; also the DuckDB file name (DIR/<id>.duckdb). */
  id: string;
  name: string;
  /** At most 140 characters. */
  description: string;
  trigger: SourceTrigger;
  /** A connector config object, accepted by `checkConfig` (src/sync/config.ts). */
  config: Record<string, unknown>;
  /** Smart processes' titles by stream name (spa_128 → "Equipment Procurement"), as last discovered. */
  streamTitles?: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

interface SourcesFile {
  version: 1;
  sources: StoredSource[];
}

export class SourceStore {
  private readonly file: string;

  constructor(readonly dataDir: string) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.file = join(dataDir, 'sources.json');
  }

  list(): StoredSource[] {
    if (!existsSync(this.file)) return [];
    const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as SourcesFile;
    return parsed.sources ?? [];
  }

  get(id: string): StoredSource | undefined {
    return this.list().find((s) => s.id === id);
  }

  /** Inserts or replaces the source with the same id. */
  save(source: StoredSource): void {
    const sources = this.list().filter((s) => s.id !== source.id);
    sources.push(source);
    this.write(sources);
  }

  remove(id: string): boolean {
    const sources = this.list();
    const kept = sources.filter((s) => s.id !== id);
    if (kept.length === sources.length) return false;
    this.write(kept);
    return true;
  }

  /** A new id from a name: lower-case letters, digits and `_`, unique among stored sources. */
  freshId(name: string): string {
    const base =
      name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '_')
        .replace(/^_+|_+$/g, '')
        .slice(0, 40) || 'source';
    const taken = new Set(this.list().map((s) => s.id));
    if (!taken.has(base)) return base;
    for (let n = 2; ; n++) if (!taken.has(`${base}_${n}`)) return `${base}_${n}`;
  }

  databasePath(id: string): string {
    return join(this.dataDir, `${id}.duckdb`);
  }

  private write(sources: StoredSource[]): void {
    const body: SourcesFile = { version: 1, sources };
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, this.file);
  }
}
