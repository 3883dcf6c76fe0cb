// The contact columns the simulator knows. Custom columns carry a publisher prefix
// (new_..., cr123_...), so any lower-case name with an underscore is accepted as text up to 4000.
import { type FieldValue } from '../domain/contact';
import { type DvError, dvError, invalidProperty } from './dynamics-errors';

interface ColumnSpec {
  maxLength?: number;
  readOnly?: boolean;
}

export const DV_STANDARD_COLUMNS: Readonly<Record<string, ColumnSpec>> = {
  contactid: { readOnly: true },
  firstname: { maxLength: 50 },
  lastname: { maxLength: 50 },
  fullname: { readOnly: true },
  emailaddress1: { maxLength: 100 },
  emailaddress2: { maxLength: 100 },
  telephone1: { maxLength: 50 },
  mobilephone: { maxLength: 50 },
  jobtitle: { maxLength: 100 },
  description: { maxLength: 2000 },
  createdon: { readOnly: true },
  modifiedon: { readOnly: true },
  versionnumber: { readOnly: true },
};

const CUSTOM_COLUMN = /^[a-z][a-z0-9]*_[a-z0-9_]+$/;

export function isKnownColumn(name: string): boolean {
  return name in DV_STANDARD_COLUMNS || CUSTOM_COLUMN.test(name);
}

export function validateDvChanges(
  body: Record<string, unknown>,
): { changes: Record<string, FieldValue> } | { error: DvError } {
  const changes: Record<string, FieldValue> = {};
  for (const [name, value] of Object.entries(body)) {
    if (name.startsWith('@odata.')) continue;
    if (!isKnownColumn(name)) return { error: invalidProperty(name) };
    const spec = DV_STANDARD_COLUMNS[name] ?? { maxLength: 4000 };
    if (spec.readOnly === true)
      return { error: dvError(400, '0x80048d19', `Property '${name}' cannot be updated.`) };
    if (value !== null && typeof value === 'object')
      return {
        error: dvError(
          400,
          '0x80048d19',
          `Error identified in Payload provided by the user for Entity :'contacts', property '${name}'`,
        ),
      };
    if (typeof value === 'string' && spec.maxLength !== undefined && value.length > spec.maxLength) {
      return {
        error: dvError(
          400,
          '0x80044331',
          `A validation error occurred. The length of the '${name}' attribute of the 'contact' entity exceeded the maximum allowed length of '${spec.maxLength}'.`,
        ),
      };
    }
    changes[name] = value as FieldValue;
  }
  return { changes };
}
