/**
 * What this portal offers: each family checked against the granted scopes and its option, its
 * `*.fields` fetched (all families' describe calls in one batch), unavailable ones listed with
 * the reason instead of failing discovery.
 */
import type { Bitrix24Client } from '../client/index.js';
import { STREAM_FAMILIES } from './catalog.js';
import type { StreamFamily } from './machinery/family.js';
import { PortalCatalog, StreamUnavailable } from './machinery/portal-catalog.js';
import type { Discovery, StreamLogger, StreamOptions } from './stream.js';

export async function discoverStreams(
  client: Bitrix24Client,
  options: StreamOptions,
  logger: StreamLogger,
  families: readonly StreamFamily[] = STREAM_FAMILIES,
): Promise<Discovery> {
  const portal = new PortalCatalog(client, options, logger, new Set(await client.scopes()));
  const discovery: Discovery = { streams: [], unavailable: [] };
  const usable: StreamFamily[] = [];
  for (const family of families) {
    const d = family.declaration;
    if (!portal.hasAnyScope(d.scopes))
      discovery.unavailable.push({ name: d.name, reason: portal.missingScopeReason(d.scopes) });
    else if (d.enabledBy && !options[d.enabledBy])
      discovery.unavailable.push({ name: d.name, reason: `turned off; set ${d.enabledBy}: true to read it` });
    else usable.push(family);
  }

  await portal.prefetch(usable.flatMap((family) => family.describeCalls?.(options) ?? []));
  if (usable.some((family) => family.declaration.name.includes('{entityTypeId}'))) {
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
      if (!(error instanceof StreamUnavailable)) throw error;
      discovery.unavailable.push({ name: family.declaration.name, reason: error.reason });
    }
  }
  for (const gone of discovery.unavailable)
    logger.info(`stream ${gone.name} is unavailable: ${gone.reason}`, { ...gone });
  return discovery;
}
