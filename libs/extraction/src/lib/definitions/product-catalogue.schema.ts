import { z } from 'zod';

import { InvalidConfigurationError } from './configuration.error';

const ProductCatalogueFileSchema = z.strictObject({
  version: z.string().min(1),
  products: z
    .array(
      z.strictObject({
        name: z.string().trim().min(1),
        aliases: z.array(z.string().trim().min(1)).default([]),
      }),
    )
    .min(1),
});

export interface Product {
  readonly name: string;
  readonly aliases: readonly string[];
}

export interface ProductCatalogue {
  readonly version: string;
  readonly products: readonly Product[];
  /** Lower-cased canonical name or alias -> canonical name. */
  readonly byName: ReadonlyMap<string, string>;
}

export const EMPTY_CATALOGUE: ProductCatalogue = { version: '', products: [], byName: new Map() };

/** Validates the product catalogue file's content; throws an InvalidConfigurationError listing every problem. */
export function parseProductCatalogue(json: unknown): ProductCatalogue {
  const parsed = ProductCatalogueFileSchema.safeParse(json);
  if (!parsed.success) throw InvalidConfigurationError.fromZod('product catalogue', parsed.error);
  const byName = new Map<string, string>();
  const issues: { path: string; message: string }[] = [];
  parsed.data.products.forEach((product, index) => {
    for (const term of [product.name, ...product.aliases]) {
      const key = term.toLowerCase();
      const owner = byName.get(key);
      if (owner !== undefined && owner !== product.name) {
        issues.push({ path: `products[${index}]`, message: `term is already used by "${owner}"` });
      }
      byName.set(key, product.name);
    }
  });
  if (issues.length > 0) throw new InvalidConfigurationError('product catalogue', issues);
  return { version: parsed.data.version, products: parsed.data.products, byName };
}
