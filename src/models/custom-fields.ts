/**
 * The custom (`UF_*`, or `ufCrm*` for smart processes) fields of an entity, with the titles people
 * gave them. A custom field's `title` in `*.fields` is often its code (`UF_CRM_1708952993785`);
 * the label users see is `listLabel` (or `formLabel`), so that comes first.
 */
import { qualified, type SqlDriver } from '../destinations/sql-driver.js';
import type { ModelSources } from './sources.js';

export interface CustomField {
  /** The entity table's column, e.g. `UF_CRM_1708952993785`. */
  column: string;
  /** The key in the model's `custom_fields` object. */
  title: string;
}

/**
 * The custom columns of `entityStream`'s table, titled from `fieldsStream`'s rows (the column name
 * when that stream was not synced or has no label). Two fields with one title keep both, the
 * second as `Title (COLUMN)`.
 */
export async function customFields(
  driver: SqlDriver,
  sources: ModelSources,
  entityStream: string,
  fieldsStream: string,
  isCustom: (column: string) => boolean,
): Promise<CustomField[]> {
  const entity = sources.tables.get(entityStream);
  if (!entity) return [];
  const labels = new Map<string, string>();
  const fields = sources.tables.get(fieldsStream);
  if (fields && ['id', 'title', 'listLabel', 'formLabel'].every((c) => fields.columns.has(c))) {
    const live = fields.columns.has('_sdc_deleted_at') ? ' WHERE "_sdc_deleted_at" IS NULL' : '';
    const rows = await driver.query(
      `SELECT "id", "title", "listLabel", "formLabel" FROM ${qualified(fields.layer, fields.table)}${live}`,
    );
    for (const row of rows) {
      const label = [row.listLabel, row.formLabel, row.title].find(
        (text) => typeof text === 'string' && text.trim() !== '',
      );
      if (typeof label === 'string') labels.set(String(row.id), label.trim());
    }
  }
  const used = new Set<string>();
  const out: CustomField[] = [];
  for (const column of entity.columns) {
    if (!isCustom(column) || isMoneySplit(column, labels)) continue;
    let title = labels.get(column) ?? column;
    if (used.has(title)) title = `${title} (${column})`;
    used.add(title);
    out.push({ column, title });
  }
  return out;
}

/**
 * `<CODE>_AMOUNT` / `<CODE>_CURRENCY` columns are the loader's split of money field CODE, not
 * fields of their own: the money field itself already carries both in `custom_fields`.
 */
function isMoneySplit(column: string, labels: Map<string, string>): boolean {
  if (labels.has(column)) return false;
  const split = /^(.+)_(AMOUNT|CURRENCY)$/.exec(column);
  return split !== null && labels.has(split[1]);
}
