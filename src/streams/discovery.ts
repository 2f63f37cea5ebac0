/**
 * What this portal offers: each family checked against the granted scopes and its option, its
 * `*.fields` fetched (all families' describe calls in one batch), unavailable ones listed with
 * the reason instead of failing discovery. One family's failed call never stops another's.
 * A run that reads some streams describes only their families (described-families.ts).
 */
import { type Bitrix24Client, Bitrix24Error } from '../client/index.js';
import { STREAM_FAMILIES } from './catalog.js';
import { familiesToDescribe } from './described-families.js';
import type { StreamFamily } from './machinery/family.js';
import { PortalCatalog, StreamUnavailable, unavailableReason } from './machinery/portal-catalog.js';
import { isPerObject } from './relations.js';
import type { Discovery, StreamLogger, StreamOptions, UnavailableStream } from './stream.js';

/**
 * `streams`: the streams the run reads (the planner's `streamsToDiscover`); only their families (and
 * their parents') are described, the others are listed in `undescribed`. Absent: every family.
 */
export async function discoverStreams(
  client: Bitrix24Client,
  options: StreamOptions,
  logger: StreamLogger,
  streams?: readonly string[],
): Promise<Discovery> {
  const portal = new PortalCatalog(client, options, logger, new Set(await client.scopes()));
  const discovery: Required<Discovery> = { streams: [], unavailable: [], undescribed: [] };
  const described = familiesToDescribe(streams);
  const usable: StreamFamily[] = [];
  for (const family of STREAM_FAMILIES) {
    const d = family.declaration;
    if (!portal.hasAnyScope(d.scopes))
      discovery.unavailable.push({
        name: d.name,
        declaration: d,
        reason: portal.missingScopeReason(d.scopes),
        cause: 'not_granted',
      });
    else if (d.enabledBy && !options[d.enabledBy])
      discovery.unavailable.push({
        name: d.name,
        declaration: d,
        reason: `turned off; set ${d.enabledBy}: true to read it`,
        cause: 'turned_off',
      });
    else if (!described.has(family)) discovery.undescribed.push(d);
    else usable.push(family);
  }

  await portal.prefetch(usable.flatMap((family) => family.describeCalls?.(options) ?? []));
  if (usable.some((family) => isPerObject(family.declaration))) {
    try {
      const types = await portal.spaTypes();
      await portal.prefetch(
        types.map((type) => ({ method: 'crm.item.fields', params: { entityTypeId: type.entityTypeId } })),
      );
    } catch (error) {
      if (!(error instanceof StreamUnavailable)) throw error;
      // Each smart-process family reports the refusal itself below.
    }
  }

  for (const family of usable) {
    try {
      const found = await family.discover(portal);
      if ('read' in found) discovery.streams.push(found);
      else {
        discovery.streams.push(...found.streams);
        discovery.unavailable.push(...found.unavailable);
      }
    } catch (error) {
      const reason = failureReason(error, family.declaration.method);
      const { declaration } = family;
      discovery.unavailable.push({ name: declaration.name, declaration, reason, cause: 'call_failed' });
    }
  }
  withoutOrphans(discovery);
  for (const gone of discovery.unavailable) {
    const line = `stream ${gone.name} is unavailable: ${gone.reason}`;
    // The declaration stays out of the log line: it is the stream's whole description.
    const fields = { name: gone.name, reason: gone.reason, cause: gone.cause };
    if (gone.cause === 'call_failed') logger.warn(line, fields);
    else logger.info(line, fields);
  }
  return discovery;
}

/** A family's discovery failure as a reason; anything but a portal's answer is a defect and throws. */
function failureReason(error: unknown, method: string): string {
  if (error instanceof StreamUnavailable) return error.reason;
  if (error instanceof Bitrix24Error) return unavailableReason(error.method || method, error);
  throw error;
}

/**
 * A child stream (read per record of its parent) whose parent the portal could not serve goes
 * with it: its rows would point at records the warehouse does not get.
 */
function withoutOrphans(discovery: Discovery): void {
  const failed = new Map(
    discovery.unavailable.filter((u) => u.cause === 'call_failed').map((u) => [u.name, u]),
  );
  const orphans: UnavailableStream[] = [];
  discovery.streams = discovery.streams.filter((stream) => {
    const parent = stream.parent === undefined ? undefined : failed.get(stream.parent);
    if (!parent) return true;
    orphans.push({
      name: stream.name,
      declaration: stream.declaration,
      reason: `its parent stream ${parent.name} is unavailable: ${parent.reason}`,
      cause: 'call_failed',
    });
    return false;
  });
  discovery.unavailable.push(...orphans);
}
