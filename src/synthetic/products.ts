/**
 * From an exposure plan to FITS products (HDU specifications, not yet bytes) and their truth.
 */
import { buildCosExposure } from './cos-product.js';
import { buildStisExposure } from './stis-product.js';
import type { ExposureRefs, ProductFile } from './product.js';
import type { ExposurePlan } from './plan.js';

export { buildCosExposure, buildStisExposure };
export type { ExposureRefs, ProductFile };

export function buildExposure(plan: ExposurePlan, refs: ExposureRefs, seed: number): ProductFile[] {
  return plan.instrument === 'COS' ? buildCosExposure(plan, refs, seed) : buildStisExposure(plan, refs, seed);
}
