/**
 * A stream's record type: the portal's (or the declaration's) field descriptors turned into a
 * JSON Schema and a normaliser by src/schema. One shape per read, so the warning about values
 * that did not fit their declared type counts that read only.
 */
import { type JsonSchema, type RecordShape, recordShape } from '../../schema/index.js';
import type { FieldMap } from '../declaration.js';
import type { StreamLogger } from '../stream.js';

export class RecordTyper {
  readonly schema: JsonSchema;

  constructor(
    readonly streamName: string,
    readonly fields: FieldMap,
    /** Properties always present: key and replication keys. */
    readonly alwaysKept: readonly string[],
    /** Computed properties the stream adds (e.g. CONTACT_IDS on deals). */
    readonly extra: Record<string, JsonSchema> = {},
  ) {
    this.schema = recordShape(fields, { extra }).schema;
  }

  /** A normaliser for one read; `selected` narrows the properties kept. */
  shapeFor(selected?: ReadonlySet<string>): RecordShape {
    if (!selected) return recordShape(this.fields, { extra: this.extra });
    const keep = new Set([...selected, ...this.alwaysKept]);
    return recordShape(this.fields, { extra: this.extra, keep });
  }

  reportMismatches(shape: RecordShape, logger: StreamLogger): void {
    if (shape.mismatches.size === 0) return;
    const byField = Object.fromEntries(shape.mismatches);
    const values = [...shape.mismatches.values()].reduce((a, b) => a + b, 0);
    logger.warn(
      `${this.streamName}: ${values} values did not fit their declared type and were kept as they came`,
      {
        stream: this.streamName,
        byField,
      },
    );
  }
}
