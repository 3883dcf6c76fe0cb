import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ProvenancedValue } from '@crm/contracts';
import { parseFieldMapping } from './field-mapping.schema';
import { fieldsToRead, mapValues } from './field.mapper';

const shipped = parseFieldMapping(
  JSON.parse(readFileSync(join(__dirname, '../../../../../config/field-mapping.json'), 'utf8')),
);
const v = (value: string, confidence = 0.95): ProvenancedValue => ({
  value,
  entityId: 'e',
  confidence,
  occurredAt: 1,
});

describe(mapValues.name, () => {
  it('maps the DESIGN §10 defaults to Salesforce Contact fields', () => {
    const sut = mapValues(
      {
        OrderNumber: v('0012345678'),
        AccountId: v('AC-12345678'),
        Email: v('Ann@Example.com'),
        sentiment: v('-0.4', 1),
      },
      shipped.salesforce,
    );
    expect(sut.desired).toEqual([
      { entityType: 'AccountId', field: 'Account_Id__c', value: 'AC-12345678', policy: 'always' },
      { entityType: 'Email', field: 'Email', value: 'ann@example.com', policy: 'if-different' },
      { entityType: 'OrderNumber', field: 'Order_Number__c', value: '0012345678', policy: 'always' },
      { entityType: 'sentiment', field: 'Conversation_Analytics_Score__c', value: -0.4, policy: 'always' },
    ]);
    expect(shipped.salesforce.conversationIdField).toBe('Last_Conversation_Id__c');
  });

  it('maps to Dataverse columns with the dynamics mapping', () => {
    const sut = mapValues({ Phone: v('+14155550132') }, shipped.dynamics);
    expect(sut.desired).toEqual([
      { entityType: 'Phone', field: 'telephone1', value: '+14155550132', policy: 'if-empty' },
    ]);
  });

  it('reports unmapped, low-confidence, unusable and too long values instead of sending them', () => {
    const sut = mapValues(
      {
        Mystery: v('x'),
        OrderNumber: v('0012345678', 0.5),
        sentiment: v('positive', 1),
        ProductRequest: v('x'.repeat(300)),
      },
      shipped.salesforce,
    );
    expect(sut.desired).toEqual([]);
    expect(sut.ignored).toEqual([
      { entityType: 'Mystery', reason: 'UNMAPPED' },
      { entityType: 'OrderNumber', reason: 'LOW_CONFIDENCE' },
      { entityType: 'ProductRequest', reason: 'TOO_LONG' },
      { entityType: 'sentiment', reason: 'INVALID_VALUE' },
    ]);
  });

  it('reads the mapped fields and the conversation marker', () => {
    const { desired } = mapValues({ OrderNumber: v('0012345678') }, shipped.salesforce);
    expect(fieldsToRead(desired, shipped.salesforce)).toEqual(['Order_Number__c', 'Last_Conversation_Id__c']);
  });
});

describe(parseFieldMapping.name, () => {
  it('names the bad path of an invalid document', () => {
    expect(() =>
      parseFieldMapping({ version: '1', salesforce: { object: 'Contact', lookup: {}, fields: {} } }),
    ).toThrow(/salesforce\.lookup\.email/);
  });
});
