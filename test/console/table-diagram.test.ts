import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { relationsAmong } from '../../src/console/table-diagram.js';

describe('table diagram relations', () => {
  it('draws multifield child tables pointing at their owner, when both are there', () => {
    const relations = relationsAmong([
      'contacts',
      'contact_phones',
      'company_emails',
      'lead_websites',
      'leads',
    ]);
    assert.deepEqual(
      relations.filter((r) => r.from.includes('_')),
      [
        { from: 'contact_phones', to: 'contacts', via: 'CONTACT_ID' },
        { from: 'lead_websites', to: 'leads', via: 'LEAD_ID' },
      ],
    );
  });
});
