/**
 * Seeded randomness for tests that shuffle deliveries or pick what to kill: the same seed gives the same
 * run, so a failure can be replayed (the tests print their seed and read FLEETWAVE_TEST_SEED). The
 * generator is the simulation's (src/simulate/prng.ts `mulberry32`).
 */

/** A copy of `items` in an order drawn from `random` (Fisher–Yates). */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The seed of a test: FLEETWAVE_TEST_SEED, else `fallback`. */
export function testSeed(fallback: number): number {
  const raw = process.env.FLEETWAVE_TEST_SEED;
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new Error(`FLEETWAVE_TEST_SEED=${raw}: give a whole number`);
  return n;
}
