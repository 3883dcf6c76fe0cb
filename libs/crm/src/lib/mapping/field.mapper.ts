// Entity values of one update → the CRM fields to set, by configuration. Values below the rule's
// confidence, without a rule, or unusable after their transform are reported, never sent.
import { type ProvenancedValue } from '@crm/contracts';
import { type FieldValue } from '../port/crm.port';
import {
  type FieldRule,
  type FieldTransform,
  type OverwritePolicy,
  type ProviderMapping,
} from './field-mapping.schema';

export interface DesiredField {
  entityType: string;
  field: string;
  value: FieldValue;
  policy: OverwritePolicy;
}

export type IgnoredReason = 'UNMAPPED' | 'LOW_CONFIDENCE' | 'INVALID_VALUE' | 'TOO_LONG';

export interface MappedUpdate {
  desired: DesiredField[];
  ignored: Array<{ entityType: string; reason: IgnoredReason }>;
}

export function mapValues(
  values: Readonly<Record<string, ProvenancedValue>>,
  mapping: ProviderMapping,
): MappedUpdate {
  const desired: DesiredField[] = [];
  const ignored: MappedUpdate['ignored'] = [];
  for (const entityType of Object.keys(values).sort()) {
    const provenanced = values[entityType]!;
    const rule = mapping.fields[entityType];
    if (!rule) {
      ignored.push({ entityType, reason: 'UNMAPPED' });
      continue;
    }
    if (provenanced.confidence < rule.minConfidence) {
      ignored.push({ entityType, reason: 'LOW_CONFIDENCE' });
      continue;
    }
    const value = transform(provenanced.value, rule.transform);
    if (value === null) {
      ignored.push({ entityType, reason: 'INVALID_VALUE' });
      continue;
    }
    if (!withinLength(value, rule)) {
      ignored.push({ entityType, reason: 'TOO_LONG' });
      continue;
    }
    desired.push({ entityType, field: rule.field, value, policy: rule.overwrite });
  }
  return { desired, ignored };
}

export function transform(raw: string, kind: FieldTransform): FieldValue {
  switch (kind) {
    case 'none':
      return raw;
    case 'trim':
      return raw.trim();
    case 'lowercase':
      return raw.trim().toLowerCase();
    case 'uppercase':
      return raw.trim().toUpperCase();
    case 'digits': {
      const digits = raw.replace(/\D/g, '');
      return digits === '' ? null : digits;
    }
    case 'number': {
      if (raw.trim() === '') return null;
      const value = Number(raw);
      return Number.isFinite(value) ? value : null;
    }
  }
}

function withinLength(value: FieldValue, rule: FieldRule): boolean {
  return rule.maxLength === undefined || typeof value !== 'string' || value.length <= rule.maxLength;
}

/** The fields a read must fetch to decide an update: the mapped ones and the conversation marker. */
export function fieldsToRead(desired: readonly DesiredField[], mapping: ProviderMapping): string[] {
  const fields = new Set(desired.map((entry) => entry.field));
  if (mapping.conversationIdField) fields.add(mapping.conversationIdField);
  return [...fields];
}
