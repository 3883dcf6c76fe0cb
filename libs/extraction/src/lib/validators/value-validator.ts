import { type ProductCatalogue } from '../definitions/product-catalogue.schema';

export const VALIDATOR_NAMES = [
  'order-number',
  'account-id',
  'case-number',
  'email',
  'phone',
  'product',
  'card-number',
] as const;
export type ValidatorName = (typeof VALIDATOR_NAMES)[number];

export interface ValidationContext {
  readonly defaultRegion: string;
  readonly catalogue: ProductCatalogue;
}

/** `detail` says what is wrong without repeating the value: it ends up in events and logs. */
export type ValidationResult =
  { readonly ok: true; readonly value: string } | { readonly ok: false; readonly detail: string };

/** Sanitises a candidate into the target field's canonical form, then checks that form strictly. */
export type ValueValidator = (candidate: string, context: ValidationContext) => ValidationResult;
