// Worker entry when hstlc runs from its TypeScript sources (tests, `node --import tsx`): on Node 20 a
// worker thread does not inherit the tsx loader of the main thread, so register it here, then load the
// real worker (worker.ts). The built CLI never uses this file: it loads dist/pipeline/worker.js.
import { register } from 'tsx/esm/api';

register();
const worker = await import('./worker.ts');

export const prepare = worker.prepare;
export const composite = worker.composite;
export const stats = worker.stats;
export const renderImage = worker.renderImage;
export const plotsPeriodogram = worker.plotsPeriodogram;
export const ping = worker.ping;
export const holdHeap = worker.holdHeap;
export const throws = worker.throws;
