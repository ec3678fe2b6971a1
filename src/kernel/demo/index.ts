/**
 * The demo city generator (广安市): a deterministic city from a seed, and the seeded random streams and
 * person names the modules' demo loaders draw from. The loaders themselves are listed in the manifests.
 */
export {
  generateCity, type DemoCity, type Department, type Division, type DivisionCell, type DivisionLevel, type Grid, type Polygon,
  type Role,
} from './city.ts';
export { creditCode, residentId } from './identities.ts';
export { personName, type Sex } from './names.ts';
export { createRng, type Rng } from './rng.ts';
