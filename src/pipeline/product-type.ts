/**
 * Which lightcurves a stats run covers (§11.1: `build_stats_table individual|composite|both`). A module of
 * its own so the CLI can check the argument without loading the stage.
 */
export type ProductType = 'individual' | 'composite' | 'both';
export type LightcurveKind = Exclude<ProductType, 'both'>;

export const PRODUCT_TYPES = ['individual', 'composite', 'both'] as const satisfies readonly ProductType[];

export function isProductType(value: string): value is ProductType {
  return (PRODUCT_TYPES as readonly string[]).includes(value);
}

/** The original's assertion message (§11.1), kept word for word (two spaces included). */
export function invalidProductTypeMessage(value: string): string {
  return `${value} is not a valid option.  Please choose "individual", "composite", or "both".`;
}
