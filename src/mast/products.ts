/**
 * Product lists: `POST <mast_url>/search/hst/api/v0.1/post_list_products` with
 * `{"dataset_ids": [...]}`, at most 1000 ids per request as MastMissions batches them; answer
 * `{"products": [...]}` (sometimes nested one level). Kept: the wanted suffixes (§14.3), names that pass
 * the path-safety check, one entry per file name.
 */
import { requestJson, type HttpOptions } from './http.js';
import { checkProductName, hasWantedSuffix, parseRootname, trimmed, type WantedSuffix } from './names.js';

export const MAX_BATCH = 1000;

/**
 * The download URL of one product: `uri=mast:HST/product/<file>` with `:` and `/` left as they are,
 * as astroquery sends it. The file name passed checkProductName, so it holds nothing to escape.
 */
export function downloadUrl(mastUrl: string, filename: string): string {
  return `${mastUrl}/api/v0.1/Download/file?uri=mast:HST/product/${encodeURIComponent(filename)}`;
}

export interface Product {
  /** The dataset the product was listed under (lower case); an association lists its members' files. */
  dataset: string;
  filename: string;
  /** Rootname of the file itself (before the first `_`). */
  rootname: string;
  suffix: WantedSuffix;
  /** Bytes, as the product list gives them. */
  size: number;
  /** PUBLIC or PROPRIETARY (exclusive access). */
  access: string;
}

export interface ProductListResult {
  products: Product[];
  batches: number;
  /** Listed files with a wanted suffix that were refused, and why (unsafe name, no size, ...). */
  rejected: Array<{ dataset: string; filename: string; reason: string }>;
  /** Entries dropped because the same file name was already listed. */
  duplicates: number;
  /** Listed files with other suffixes (raw, asn, spt…), not wanted. */
  ignored: number;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!(size >= 1)) throw new Error(`batch size must be at least 1, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The raw entries of one product-list answer (validated one by one by the caller). */
export function productsOf(body: unknown): unknown[] {
  if (typeof body !== 'object' || body === null) throw new Error('product list answer is not a JSON object');
  const products = (body as Record<string, unknown>)['products'];
  if (!Array.isArray(products)) throw new Error("product list answer has no 'products' array");
  // astroquery flattens one level of nesting; MAST has been seen to answer [[...]].
  return products.length > 0 && Array.isArray(products[0]) ? (products[0] as unknown[]) : products;
}

/** Fold one raw entry into the result. */
function take(raw: unknown, out: ProductListResult, byName: Map<string, Product>): void {
  if (typeof raw !== 'object' || raw === null) {
    out.rejected.push({ dataset: '', filename: '', reason: 'product entry is not an object' });
    return;
  }
  const r = raw as Record<string, unknown>;
  const rawName = r['filename'];
  const shownName = typeof rawName === 'string' ? rawName.slice(0, 100) : '';
  const dataset = parseRootname(r['dataset']) ?? trimmed(r['dataset']).slice(0, 40).toLowerCase();
  if (typeof rawName === 'string' && !hasWantedSuffix(rawName)) {
    out.ignored++;
    return;
  }
  const check = checkProductName(rawName);
  if (!check.ok) {
    out.rejected.push({ dataset, filename: shownName, reason: check.reason });
    return;
  }
  const size = r['size'];
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size <= 0) {
    out.rejected.push({ dataset, filename: shownName, reason: 'product list gives no valid size' });
    return;
  }
  const existing = byName.get(check.name.filename);
  if (existing !== undefined) {
    out.duplicates++;
    if (existing.size !== size) {
      out.rejected.push({ dataset, filename: shownName, reason: `listed twice with different sizes (${existing.size} and ${size})` });
    }
    return;
  }
  const product: Product = {
    dataset: parseRootname(r['dataset']) ?? check.name.rootname,
    filename: check.name.filename,
    rootname: check.name.rootname,
    suffix: check.name.suffix,
    size,
    access: trimmed(r['access']).toUpperCase() || 'PUBLIC',
  };
  byName.set(product.filename, product);
  out.products.push(product);
}

/** One product-list answer parsed on its own (contract tests on recorded replies). */
export function parseProductList(body: unknown): ProductListResult {
  const out: ProductListResult = { products: [], batches: 1, rejected: [], duplicates: 0, ignored: 0 };
  const byName = new Map<string, Product>();
  for (const raw of productsOf(body)) take(raw, out, byName);
  return out;
}

/** Products of `datasets`, in batches of ≤ batchSize ids (one request per batch, retried by http). */
export async function listProducts(
  mastUrl: string,
  datasets: readonly string[],
  http: HttpOptions,
  batchSize: number = MAX_BATCH,
): Promise<ProductListResult> {
  const url = `${mastUrl}/search/hst/api/v0.1/post_list_products`;
  const size = Math.min(MAX_BATCH, batchSize);
  const ids = [...new Set(datasets.map((d) => d.toUpperCase()))];
  const out: ProductListResult = { products: [], batches: 0, rejected: [], duplicates: 0, ignored: 0 };
  const byName = new Map<string, Product>();
  for (const batch of chunk(ids, size)) {
    const body = await requestJson(url, { method: 'POST', body: { dataset_ids: batch } }, http);
    out.batches++;
    for (const raw of productsOf(body)) take(raw, out, byName);
  }
  return out;
}
