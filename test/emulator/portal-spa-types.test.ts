import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startEmulator } from '../../src/emulator/index.js';
import { NOW } from './portal-http.js';

interface TypeRow {
  entityTypeId: number;
  title: string;
}

describe('emulator spaTypes option', () => {
  it('serves the requested number of smart processes with realistic ids, paged by crm.type.list', async () => {
    const emu = await startEmulator({ seed: 4, scale: 40, spaTypes: 60, plan: 'unlimited', now: NOW });
    try {
      const call = async (method: string, params: unknown) => {
        const res = await fetch(emu.webhookUrl + method, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(params),
        });
        return (await res.json()) as { result: Record<string, unknown>; total?: number; next?: number };
      };
      const first = await call('crm.type.list', {});
      assert.equal(first.total, 60);
      assert.equal(first.next, 50);
      const second = await call('crm.type.list', { start: 50 });
      const types = [...(first.result.types as TypeRow[]), ...(second.result.types as TypeRow[])];
      const ids = types.map((t) => t.entityTypeId);
      assert.equal(new Set(ids).size, 60);
      assert.ok(
        ids.every((id) => id % 2 === 0 && ((id >= 128 && id < 192) || id >= 1030)),
        String(ids),
      );
      assert.equal(new Set(types.map((t) => t.title)).size, 60, 'titles tell the types apart');
      const last = ids[ids.length - 1];
      const items = await call('crm.item.list', { entityTypeId: last });
      assert.ok((items.result.items as unknown[]).length > 0, `items of type ${last}`);
      const stages = await call('crm.category.list', { entityTypeId: last });
      assert.ok((stages.result.categories as unknown[]).length >= 1);
    } finally {
      await emu.close();
    }
  });

  it('keeps the default portal at 2 types (128 and 130) and generates identically per seed', async () => {
    const a = await startEmulator({ seed: 4, scale: 40, now: NOW });
    const b = await startEmulator({ seed: 4, scale: 40, spaTypes: 2, now: NOW });
    try {
      assert.deepEqual(
        a.portal?.spaTypes.map((t) => t.entityTypeId),
        [128, 130],
      );
      assert.deepEqual(a.portal?.spa[1].items.row(3), b.portal?.spa[1].items.row(3));
    } finally {
      await a.close();
      await b.close();
    }
  });
});
