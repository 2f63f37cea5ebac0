import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Params } from '../../src/emulator/index.js';
import { portalSummary } from '../../src/emulator/methods/index.js';
import { openPortal, type PortalUnderTest, readStream, streamNamed } from './stream-harness.js';

describe('the per-deal streams of one run read the deal IDs once', () => {
  let portal: PortalUnderTest;
  /** crm.deal.list commands that asked for IDs only (the per-deal streams' parent scan). */
  let idScans = 0;
  before(async () => {
    portal = await openPortal({
      scale: 1000,
      options: { enable_deal_comments: true, enable_deal_products: true },
    });
    // Every command the emulator runs, plain or inside a batch, goes through its method table.
    const definition = portal.emulator.methods.get('crm.deal.list');
    assert.ok(definition);
    portal.emulator.methods.set('crm.deal.list', {
      ...definition,
      handle: (params: Params, ctx) => {
        if (JSON.stringify(params.select) === '["ID"]') idScans++;
        return definition.handle(params, ctx);
      },
    });
  });
  after(() => portal.close());

  const scansDuring = async (read: () => Promise<unknown>) => {
    const before = idScans;
    await read();
    return idScans - before;
  };

  it('two streams sharing a run cost the ID scan of one, and each still gets every row', async () => {
    const summary = portalSummary(portal.emulator.portal!);
    let alone = 0;
    const single = await scansDuring(async () => {
      alone = (await readStream(portal, streamNamed(portal, 'deal_products'))).records.length;
    });
    assert.equal(alone, summary.deal_products);
    assert.ok(single >= 2, `a scan of 1,000 deal IDs takes more than one command, took ${single}`);

    const shared = new Map<string, unknown>();
    const rows: number[] = [];
    const both = await scansDuring(async () => {
      const reads = await Promise.all([
        readStream(portal, streamNamed(portal, 'deal_products'), { shared }),
        readStream(portal, streamNamed(portal, 'deal_comments'), { shared }),
      ]);
      rows.push(...reads.map((r) => r.records.length));
    });
    assert.deepEqual(rows, [summary.deal_products, summary.deal_comments]);
    assert.equal(both, single, 'the second stream followed the first one’s scan');

    // A stream that starts after the scan finished reads the IDs from memory: no command at all.
    const later = await scansDuring(() =>
      readStream(portal, streamNamed(portal, 'deal_products'), { shared }),
    );
    assert.equal(later, 0);
  });

  it('a stream resuming after a deal skips the IDs up to it, from the shared scan', async () => {
    const shared = new Map<string, unknown>();
    const full = await readStream(portal, streamNamed(portal, 'deal_comments'), { shared });
    // The state a run killed half-way would have left: it resumes after the last deal made durable.
    const killedAt = full.states[Math.floor(full.states.length / 2)]!;
    const resumeAfter = Number(killedAt.resume?.last_id);
    assert.ok(resumeAfter > 0, JSON.stringify(killedAt));
    let resumed: Record<string, unknown>[] = [];
    const scans = await scansDuring(async () => {
      resumed = (await readStream(portal, streamNamed(portal, 'deal_comments'), { shared, state: killedAt }))
        .records;
    });
    assert.equal(scans, 0);
    assert.ok(resumed.length > 0);
    assert.ok(resumed.every((r) => Number(r.ENTITY_ID) > resumeAfter));
    assert.equal(resumed.length, full.records.filter((r) => Number(r.ENTITY_ID) > resumeAfter).length);
  });
});
