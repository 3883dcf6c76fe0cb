// The Contact fields the simulator knows. Custom fields (suffix __c) are accepted as text up to
// 255 characters or numbers, so a field mapping can add its own without touching the simulator.
import { type FieldValue } from '../domain/contact';
import { type SfError, sfError } from './salesforce-errors';

interface FieldSpec {
  maxLength?: number;
  readOnly?: boolean;
}

export const SF_STANDARD_FIELDS: Readonly<Record<string, FieldSpec>> = {
  Id: { readOnly: true },
  FirstName: { maxLength: 40 },
  LastName: { maxLength: 80 },
  Email: { maxLength: 80 },
  Phone: { maxLength: 40 },
  MobilePhone: { maxLength: 40 },
  Title: { maxLength: 128 },
  Description: { maxLength: 32000 },
  CreatedDate: { readOnly: true },
  LastModifiedDate: { readOnly: true },
  SystemModstamp: { readOnly: true },
  IsDeleted: { readOnly: true },
};

const CUSTOM_FIELD = /^[A-Za-z][A-Za-z0-9_]*__c$/;
const CUSTOM_MAX_LENGTH = 255;

/** Salesforce field names are case-insensitive; this returns the canonical spelling or undefined. */
export function canonicalSfField(name: string): string | undefined {
  const standard = Object.keys(SF_STANDARD_FIELDS).find(
    (field) => field.toLowerCase() === name.toLowerCase(),
  );
  if (standard !== undefined) return standard;
  return CUSTOM_FIELD.test(name) ? name : undefined;
}

export function noSuchColumn(field: string): SfError {
  return sfError(400, 'INVALID_FIELD', `No such column '${field}' on sobject of type Contact`, [field]);
}

/** Validates a PATCH body: known, updateable fields with scalar values of allowed length. */
export function validateSfChanges(
  body: Record<string, unknown>,
): { changes: Record<string, FieldValue> } | { error: SfError } {
  const changes: Record<string, FieldValue> = {};
  for (const [name, value] of Object.entries(body)) {
    if (name === 'attributes') continue;
    const field = canonicalSfField(name);
    if (field === undefined) return { error: noSuchColumn(name) };
    const spec = SF_STANDARD_FIELDS[field] ?? { maxLength: CUSTOM_MAX_LENGTH };
    if (spec.readOnly === true) {
      return {
        error: sfError(
          400,
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          `Unable to create/update fields: ${field}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          [field],
        ),
      };
    }
    if (value !== null && typeof value === 'object') {
      return {
        error: sfError(
          400,
          'JSON_PARSER_ERROR',
          `Cannot deserialize instance of ${field} from ${Array.isArray(value) ? 'START_ARRAY' : 'START_OBJECT'} value`,
        ),
      };
    }
    if (typeof value === 'string' && spec.maxLength !== undefined && value.length > spec.maxLength) {
      return {
        error: sfError(
          400,
          'STRING_TOO_LONG',
          `${field}: data value too large: ${value.slice(0, 40)} (max length=${spec.maxLength})`,
          [field],
        ),
      };
    }
    changes[field] = value as FieldValue;
  }
  return { changes };
}

export function defaultFaultMessage(errorCode: string, field: string): string {
  switch (errorCode) {
    case 'STRING_TOO_LONG':
      return `${field}: data value too large (max length=80)`;
    case 'INVALID_FIELD':
      return `No such column '${field}' on sobject of type Contact`;
    case 'FIELD_CUSTOM_VALIDATION_EXCEPTION':
      return `Validation rule failed for ${field}`;
    default:
      return `${errorCode} on ${field}`;
  }
}
