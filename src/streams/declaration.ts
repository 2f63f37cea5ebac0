/**
 * A stream family as data: its row of the stream table (method, key, replication key, scope), plus
 * what the reference doc and `--about` need to describe it without a portal. Families whose names
 * depend on the portal (one stream per smart-process type) use a `{entityTypeId}` placeholder in
 * `name`.
 */
import type { FieldDescriptor, FieldMap } from '../schema/index.js';

export type { FieldDescriptor, FieldMap };

export type ReplicationMethod = 'INCREMENTAL' | 'FULL_TABLE';

/** Where a stream shows up in catalogs, docs and the console. */
export type StreamGroup =
  | 'crm'
  | 'metadata'
  | 'smart_processes'
  | 'users_and_structure'
  | 'telephony'
  | 'open_lines';

/**
 * A column of a stream that holds the key of another stream's record. Declared on the stream
 * that holds the column; the README's data model, the console's table diagram and the reference
 * doc all draw from these.
 */
export interface StreamRelation {
  /** The stream referred to; `{entityTypeId}` stands for the same smart process as this one. */
  readonly to: string;
  /** The referencing column, with the condition that narrows it when there is one. */
  readonly via: string;
  /**
   * True when no column holds the key and the stream's name does: spa_128's items all belong to
   * the smart process of entityTypeId 128, and crm.item.list answers no entityTypeId per item.
   */
  readonly inName?: boolean;
  /** How many records of `to` one record points at: exactly one, none or one, or any number. */
  readonly reach: 'one' | 'zero_or_one' | 'many';
}

export interface StreamDeclaration {
  /** Stream name, or a template such as `spa_{entityTypeId}`. */
  readonly name: string;
  readonly group: StreamGroup;
  readonly description: string;
  /** The REST method that lists the records. */
  readonly method: string;
  /** The method that describes the fields, when the portal has one. */
  readonly fieldsMethod?: string;
  readonly keyProperties: readonly string[];
  readonly replicationKey?: string;
  readonly validReplicationKeys: readonly string[];
  readonly forcedReplicationMethod?: ReplicationMethod;
  /** Any one of these scopes makes the stream available. */
  readonly scopes: readonly string[];
  readonly parent?: string;
  /** The columns that point at other streams' records. Absent: none. */
  readonly relations?: readonly StreamRelation[];
  /**
   * false for a stream that starts unselected in the Singer catalog, in `sync` and in the console
   * wizard alike. Absent: selected. The `*_fields` streams stay selected: the analyst tables
   * decode enumeration values from their items.
   */
  readonly selectedByDefault?: boolean;
  /** A boolean option that must be true for the stream to exist. */
  readonly enabledBy?: 'enable_deal_comments' | 'enable_deal_products';
  /** Columns worth naming in the reference doc. */
  readonly mainFields: readonly string[];
  /** Why the stream is shaped this way, when it departs from the obvious (shown in the doc). */
  readonly note?: string;
}

/** Flags: R required, r read-only, m multiple. */
export function field(
  type: string,
  title: string,
  flags = '',
  extra: Record<string, unknown> = {},
): FieldDescriptor {
  return {
    type,
    isRequired: flags.includes('R'),
    isReadOnly: flags.includes('r'),
    isImmutable: false,
    isMultiple: flags.includes('m'),
    isDynamic: false,
    title,
    ...extra,
  };
}

/** A field table written compactly: `{ ID: ['integer', 'ID'], TAGS: ['string', 'Tags', 'm'] }`. */
export function fieldTable(
  rows: Record<string, readonly [type: string, title: string, flags?: string]>,
): FieldMap {
  const out: FieldMap = {};
  for (const [name, [type, title, flags]] of Object.entries(rows)) out[name] = field(type, title, flags);
  return out;
}

export function syncTypeOf(
  d: Pick<StreamDeclaration, 'forcedReplicationMethod' | 'replicationKey'>,
): ReplicationMethod {
  return d.forcedReplicationMethod ?? (d.replicationKey ? 'INCREMENTAL' : 'FULL_TABLE');
}
