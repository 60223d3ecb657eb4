// Run counts and seeds for the property-based tests: short, fixed-seed runs under `npm test`, long
// runs with fresh seeds under `npm run test:long` (FUZZ_RUNS set), reproducible with FUZZ_SEED.
import type { Parameters } from 'fast-check';

/** The long variant: `FUZZ_RUNS=<n>` multiplies every property's default run count by n. */
const scale = Number(process.env.FUZZ_RUNS ?? '');
export const LONG = Number.isFinite(scale) && scale > 0;

/** A property's run count: `short` under `npm test`, `short * FUZZ_RUNS` in the long variant. */
export function runs(short: number): number {
  return LONG ? Math.round(short * scale) : short;
}

/** The seed: fixed under `npm test` (reproducible CI), fresh per run in the long variant. */
function seedFor(): number {
  const given = process.env.FUZZ_SEED;
  if (given !== undefined && given !== '') return Number(given);
  return LONG ? (Date.now() ^ (process.pid << 8)) >>> 0 : 20_240_601;
}

/** fast-check parameters for a property with `short` runs by default. */
export function fcParams<T>(short: number): Parameters<T> {
  return { numRuns: runs(short), seed: seedFor(), includeErrorInReport: true };
}

/** Counts of properties checked, printed at the end of each file (for the figures). */
export const tally = new Map<string, number>();
export function count(what: string, n = 1): void {
  tally.set(what, (tally.get(what) ?? 0) + n);
}
export function report(): string {
  return [...tally].map(([k, v]) => `${k}: ${v}`).join(', ');
}
