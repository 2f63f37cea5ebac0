/**
 * `verify`: is the warehouse complete? Per stream, the portal's own count for the filter the
 * sync uses (verify-counts.ts) against the table's live rows (not marked `_sdc_deleted_at`). The
 * finding is recorded per target table in `_tap.verifications` for the console.
 */
import { existsSync } from 'node:fs';
import { Bitrix24Client, type ClientLogger, type ClientOptions } from '../client/index.js';
import { openDestination } from '../destinations/open.js';
import type { VerificationRecord, VerificationStatus } from '../destinations/verification-log.js';
import { discoverStreams } from '../streams/index.js';
import type { StreamLogger } from '../streams/stream.js';
import { clientOptionsFrom, streamOptionsFrom, type TapConfig } from './config.js';
import { planSync, streamsToDiscover } from './plan.js';
import { DEFAULT_TARGET } from './run.js';
import { type PortalCount, portalCounts } from './verify-counts.js';

export interface StreamVerification {
  stream: string;
  status: VerificationStatus;
  portal: number | null;
  warehouse: number | null;
  /** Rows the portal has beyond the warehouse's (0 when none; null when not counted). */
  missing: number | null;
  /** Rows the warehouse has beyond the portal's. */
  extra: number | null;
  /** Why not counted, or what failed. */
  note?: string;
}

export interface VerifyReport {
  destination: string;
  verifiedAt: string;
  /** Requests this verification sent, discovery included. */
  requests: number;
  /** Of those, the counting: the portal clock and the batches of counted requests. */
  countRequests: number;
  streams: StreamVerification[];
  /** No drift and no failure; streams that cannot be counted do not make it false. */
  ok: boolean;
}

export interface VerifyOptions {
  config: TapConfig;
  target?: string;
  only?: readonly string[];
  logger: StreamLogger & ClientLogger;
  clientOverrides?: Omit<ClientOptions, 'logger'>;
}

/** `verify` was pointed at a database that holds nothing to verify. */
export class VerifyTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerifyTargetError';
  }
}

export async function verifyPortal(options: VerifyOptions): Promise<VerifyReport> {
  const { config, logger } = options;
  const target = options.target ?? DEFAULT_TARGET;
  const file = target.startsWith('duckdb:') ? target.slice('duckdb:'.length) : target;
  // Opening a DuckDB file creates it: a mistyped --to would verify an empty new database.
  if (!/^postgres(ql)?:\/\//i.test(target) && !existsSync(file)) {
    throw new VerifyTargetError(
      `--to ${target}: no such DuckDB file; sync into it first, or name the file the sync wrote`,
    );
  }
  const client = new Bitrix24Client({ ...clientOptionsFrom(config), ...options.clientOverrides, logger });
  try {
    const streamOptions = streamOptionsFrom(config);
    const only = options.only ? { only: options.only } : {};
    const discovery = await discoverStreams(client, streamOptions, logger, streamsToDiscover(config, only));
    const { selections, unavailable } = planSync(discovery, config, only);
    const beforeCounts = client.stats().requests;
    const counts = await portalCounts(client, selections, streamOptions, logger);
    const countRequests = client.stats().requests - beforeCounts;
    const destination = await openDestination(target);
    try {
      const verifiedAt = new Date().toISOString();
      const streams: StreamVerification[] = [];
      const records: VerificationRecord[] = [];
      for (const { stream, table } of selections) {
        const exists = (await destination.columns(table.layer, table.table)).size > 0;
        const warehouse = exists ? await destination.countRows(table) : null;
        const found = compare(stream.name, counts.get(stream.name)!, warehouse);
        streams.push(found);
        records.push({
          stream: stream.name,
          layer: table.layer,
          table: table.table,
          status: found.status,
          portal: found.portal,
          warehouse,
          note: found.note ?? null,
          verifiedAt,
        });
      }
      for (const u of unavailable) {
        streams.push({
          stream: u.name,
          status: 'failed',
          portal: null,
          warehouse: null,
          missing: null,
          extra: null,
          note: u.reason,
        });
      }
      await destination.recordVerification(records);
      return {
        destination: destination.description,
        verifiedAt,
        requests: client.stats().requests,
        countRequests,
        streams,
        ok: streams.every((s) => s.status === 'ok' || s.status === 'not_counted'),
      };
    } finally {
      await destination.close();
    }
  } finally {
    await client.close();
  }
}

function compare(stream: string, count: PortalCount, warehouse: number | null): StreamVerification {
  if (count.kind !== 'counted') {
    return {
      stream,
      status: count.kind,
      portal: null,
      warehouse,
      missing: null,
      extra: null,
      note: count.why,
    };
  }
  const held = warehouse ?? 0;
  const missing = Math.max(0, count.total - held);
  const extra = Math.max(0, held - count.total);
  const found: StreamVerification = {
    stream,
    status: missing === 0 && extra === 0 ? 'ok' : 'drift',
    portal: count.total,
    warehouse,
    missing,
    extra,
  };
  if (warehouse === null) found.note = 'no table yet: the stream was never synced into this target';
  return found;
}
