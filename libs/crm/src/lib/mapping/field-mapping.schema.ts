// The field-mapping configuration (DESIGN.md §6, defaults in config/field-mapping.json): per CRM,
// entity type → field, transform, minimum confidence and overwrite policy.
import { z } from 'zod';

export const overwritePolicies = ['always', 'if-empty', 'if-different'] as const;
export type OverwritePolicy = (typeof overwritePolicies)[number];

export const fieldTransforms = ['none', 'trim', 'lowercase', 'uppercase', 'number', 'digits'] as const;
export type FieldTransform = (typeof fieldTransforms)[number];

const fieldRuleSchema = z.object({
  field: z.string().min(1),
  transform: z.enum(fieldTransforms).default('none'),
  minConfidence: z.number().min(0).max(1).default(0.9),
  overwrite: z.enum(overwritePolicies).default('if-different'),
  /** Values longer than this are not sent (the CRM would reject them with STRING_TOO_LONG). */
  maxLength: z.number().int().positive().optional(),
});

const providerMappingSchema = z.object({
  /** Salesforce sObject type or Dataverse entity set written to. */
  object: z.string().min(1),
  /** Field that receives the id of the conversation that last wrote the record (DESIGN.md §10). */
  conversationIdField: z.string().min(1).optional(),
  /** Fields the contact lookup searches. */
  lookup: z.object({ email: z.string().min(1), phone: z.string().min(1) }),
  fields: z.record(z.string(), fieldRuleSchema),
});

export const fieldMappingSchema = z.object({
  version: z.string().min(1),
  salesforce: providerMappingSchema,
  dynamics: providerMappingSchema,
});

export type FieldRule = z.output<typeof fieldRuleSchema>;
export type ProviderMapping = z.output<typeof providerMappingSchema>;
export type FieldMapping = z.output<typeof fieldMappingSchema>;

/** Parses a mapping document; throws a readable error naming the bad paths. */
export function parseFieldMapping(document: unknown): FieldMapping {
  const result = fieldMappingSchema.safeParse(document);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
  );
  throw new Error(`invalid field mapping: ${problems.join('; ')}`);
}
