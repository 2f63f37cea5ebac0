import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { portalSummary } from '../../src/emulator/methods/index.js';
import { openPortal, type PortalUnderTest, readStream, streamNamed } from './stream-harness.js';

/** Per-deal data must go 50 deals to a batch: with 1,000 deals, at most 25 requests a stream. */
const BUDGET = 25;

describe('per-deal streams cost about deals / 50 requests', () => {
  let portal: PortalUnderTest;
  let runStartedAt: string;
  before(async () => {
    portal = await openPortal({
      scale: 1000,
      options: { enable_deal_comments: true, enable_deal_products: true, extract_deal_contacts: true },
    });
    runStartedAt = await portal.client.serverTime();
  });
  after(() => portal.close());

  const measure = async (name: string) => {
    const before = portal.emulator.stats().requests_total;
    const result = await readStream(portal, streamNamed(portal, name), { runStartedAt });
    const requests = portal.emulator.stats().requests_total - before;
    process.stderr.write(`${name}: ${result.records.length} rows, ${requests} requests for 1000 deals\n`);
    return { requests: portal.emulator.stats().requests_total - before, rows: result.records.length };
  };

  it('deal_products', async () => {
    const { requests, rows } = await measure('deal_products');
    assert.ok(portal.emulator.portal);
    assert.equal(rows, portalSummary(portal.emulator.portal).deal_products);
    assert.ok(requests <= BUDGET, `deal_products took ${requests} requests`);
  });

  it('deal_comments', async () => {
    const { requests, rows } = await measure('deal_comments');
    assert.ok(portal.emulator.portal);
    assert.equal(rows, portalSummary(portal.emulator.portal).deal_comments);
    assert.ok(requests <= BUDGET, `deal_comments took ${requests} requests`);
  });

  it('deals with CONTACT_IDS costs the deal pages plus one batch per 50 deals', async () => {
    const { requests, rows } = await measure('deals');
    assert.equal(rows, 1000);
    assert.ok(requests <= BUDGET, `deals with extract_deal_contacts took ${requests} requests`);
  });
});
