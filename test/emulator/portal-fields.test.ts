/** `*.fields` answers against the official descriptor examples: same descriptor keys and types. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fixture, type Json, kind, startPortal } from './portal-http.js';

type Obj = { [k: string]: Json };

const CASES: [string, string, Obj, boolean][] = [
  ['crm.deal.fields.json', 'crm.deal.fields', {}, false],
  ['crm.contact.fields.json', 'crm.contact.fields', {}, false],
  ['crm.company.fields.json', 'crm.company.fields', {}, false],
  ['crm.lead.fields.json', 'crm.lead.fields', {}, false],
  ['crm.activity.fields.json', 'crm.activity.fields', {}, false],
  ['crm.status.fields.json', 'crm.status.fields', {}, false],
  ['crm.timeline.comment.fields.json', 'crm.timeline.comment.fields', {}, false],
  ['crm.multifield.fields.json', 'crm.multifield.fields', {}, false],
  ['crm.item.fields.json', 'crm.item.fields', { entityTypeId: 128 }, true],
  ['crm.type.fields.json', 'crm.type.fields', {}, true],
  ['crm.item.productrow.fields.json', 'crm.item.productrow.fields', {}, true],
  ['crm.category.fields.json', 'crm.category.fields', {}, true],
];

describe('field descriptors match the official examples', () => {
  let portal: Awaited<ReturnType<typeof startPortal>>;
  before(async () => {
    portal = await startPortal(100);
  });
  after(() => portal.emu.close());

  for (const [file, method, params, wrapped] of CASES) {
    it(`${method} ~ ${file}`, async () => {
      const fx = fixture(file).result as Obj;
      const answer = await portal.call(method, params);
      assert.equal(answer.status, 200);
      const theirs = (wrapped ? fx.fields : fx) as Obj;
      const ours = (wrapped ? (answer.body.result as Obj).fields : answer.body.result) as Obj;
      if (wrapped) assert.deepEqual(Object.keys(answer.body.result as Obj), ['fields']);
      let compared = 0;
      for (const [name, d] of Object.entries(theirs)) {
        const t = d as Obj;
        if (t.isDynamic || /^parentId\d+$|^PARENT_ID_/.test(name)) continue;
        const o = ours[name] as Obj | undefined;
        assert.ok(o, `${method}: ${name} missing`);
        assert.deepEqual(Object.keys(o).sort(), Object.keys(t).sort(), `${method}: ${name} descriptor keys`);
        for (const k of Object.keys(t)) assert.equal(kind(o[k]), kind(t[k]), `${method}: ${name}.${k}`);
        assert.equal(o.type, t.type, `${method}: ${name}.type`);
        compared++;
      }
      assert.ok(compared > 3);
    });
  }

  it('user fields carry the shape of the examples and cover every documented type', async () => {
    const company = fixture('crm.company.fields.json').result as Obj;
    const ufExample = company.UF_CRM_64A29A1CD5CC2 as Obj;
    const ours = (await portal.call('crm.company.fields')).body.result as Obj;
    const ufs = Object.entries(ours).filter(([k]) => k.startsWith('UF_')) as [string, Obj][];
    const types = new Set(ufs.map(([, d]) => d.type));
    for (const t of [
      'string',
      'integer',
      'double',
      'boolean',
      'enumeration',
      'datetime',
      'date',
      'money',
      'url',
      'address',
      'file',
      'employee',
      'crm_status',
      'iblock_section',
      'iblock_element',
      'crm',
    ]) {
      assert.ok(types.has(t), `UF type ${t}`);
    }
    assert.ok(ufs.some(([, d]) => d.isMultiple === true));
    for (const [name, d] of ufs) {
      assert.equal(d.isDynamic, true);
      assert.equal(d.title, name, 'legacy UF title is the field code');
      for (const k of Object.keys(ufExample)) assert.ok(k in d, `${name} lacks ${k}`);
      if (d.type === 'enumeration')
        assert.ok(Array.isArray(d.items) && (d.items as Obj[]).every((i) => typeof i.ID === 'string'));
    }
    const item = ((await portal.call('crm.item.fields', { entityTypeId: 130 })).body.result as Obj)
      .fields as Obj;
    const camel = Object.entries(item).filter(([k]) => k.startsWith('ufCrm130_')) as [string, Obj][];
    assert.equal(camel.length, ufs.length);
    for (const [, d] of camel) assert.match(String(d.upperName), /^UF_CRM_130_/);
    const original = (
      (await portal.call('crm.item.fields', { entityTypeId: 130, useOriginalUfNames: 'Y' })).body
        .result as Obj
    ).fields as Obj;
    assert.ok(Object.keys(original).some((k) => k.startsWith('UF_CRM_130_')));
  });

  it('user.fields and department.fields are flat maps of titles', async () => {
    for (const [method, file] of [
      ['user.fields', 'user.fields.json'],
      ['department.fields', 'department.fields.json'],
    ]) {
      const ours = (await portal.call(method)).body.result as Obj;
      const theirs = fixture(file).result as Obj;
      for (const v of Object.values(ours)) assert.equal(typeof v, 'string');
      for (const k of ['ID', 'NAME']) assert.ok(k in ours && k in theirs);
    }
  });
});
