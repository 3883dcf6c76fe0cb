// Validates an AggregationPolicy built from the environment: numbers may arrive as strings, media
// types as a comma-separated list; anything missing takes its default.
import { MediaTypeValues } from '@crm/contracts';
import { z } from 'zod';

import { type AggregationPolicy, DEFAULT_AGGREGATION_POLICY as D } from './aggregation.policy';

const millis = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);
const positive = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const mediaTypes = z.preprocess(
  (input) =>
    typeof input === 'string'
      ? input
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '')
      : input,
  z.array(z.enum(MediaTypeValues)),
);

export const aggregationPolicySchema = z
  .object({
    contactIdAttribute: z.string().min(1).default(D.contactIdAttribute),
    crmObject: z.string().min(1).default(D.crmObject),
    digitalMediaTypes: mediaTypes.default([...D.digitalMediaTypes]),
    debounceMs: millis(D.debounceMs),
    maxWaitMs: millis(D.maxWaitMs),
    endGraceMs: millis(D.endGraceMs),
    voiceMaxWaitMs: positive(D.voiceMaxWaitMs),
    ambiguityWindowMs: millis(D.ambiguityWindowMs),
    maxCandidatesPerType: positive(D.maxCandidatesPerType),
    dedupeCapacity: positive(D.dedupeCapacity),
    endedRetentionMs: millis(D.endedRetentionMs),
    idleRetentionMs: positive(D.idleRetentionMs),
  })
  .refine((p) => p.maxWaitMs >= p.debounceMs, {
    message: 'maxWaitMs must be >= debounceMs',
    path: ['maxWaitMs'],
  })
  // An ended conversation must not be dropped before its grace flush is due.
  .refine((p) => p.endedRetentionMs >= p.endGraceMs, {
    message: 'endedRetentionMs must be >= endGraceMs',
    path: ['endedRetentionMs'],
  });

/** Parses and validates; throws a ZodError naming every bad field. */
export function parseAggregationPolicy(input: unknown): AggregationPolicy {
  return aggregationPolicySchema.parse(input);
}
