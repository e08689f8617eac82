/**
 * The validation entry point: zod, yaml and the glob compiler live behind this module, which the hot path
 * imports only when its cache misses.
 */
export { validateManifest, validateSettings } from '../schema/validate.js';
export { compilePolicy } from '../core/compilePolicy.js';
export { makePlan, matchTracked, sharedProbes } from '../core/plan.js';
export { conflicts } from '../core/conflicts.js';
export { GlobOverlap } from '../core/globOverlap.js';
export { validateLandingRecord, validateLeaseDocument } from '../schema/ledger.js';
export { mergeManifests } from '../core/manifestMerge.js';
