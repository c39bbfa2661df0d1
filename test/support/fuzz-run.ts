import fc, { type Arbitrary } from 'fast-check';
import { describeExchange, type FuzzRequest, type FuzzResponse } from './fuzz-http.js';

/** The seed of every run unless `M2M_FUZZ_SEED` gives another. */
export const DEFAULT_FUZZ_SEED = 20_260_101;

function integerFromEnv(name: string, fallback: number, min: number): number {
  const text = process.env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(`${name} must be an integer of at least ${min}, not ${JSON.stringify(text)}`);
  }
  return value;
}

/** Run settings: `M2M_FUZZ_SEED`, `M2M_FUZZ_RUNS` (per property) and `M2M_FUZZ_PATH` (replay). */
export interface FuzzSettings {
  seed: number;
  numRuns: number;
  path: string | undefined;
}

export function fuzzSettings(defaultRuns: number): FuzzSettings {
  const path = process.env['M2M_FUZZ_PATH']?.trim();
  return {
    seed: integerFromEnv('M2M_FUZZ_SEED', DEFAULT_FUZZ_SEED, -(2 ** 31)),
    numRuns: integerFromEnv('M2M_FUZZ_RUNS', defaultRuns, 1),
    path: path === '' ? undefined : path,
  };
}

/** `fc.stringify` with long runs of one character shortened, so that a counterexample stays readable. */
function printable(value: unknown): string {
  return fc
    .stringify(value)
    .replace(
      /(\\u[0-9a-fA-F]{4}|\\.|[^\\])\1{15,}/g,
      (run: string, unit: string) => `⟨${unit} ×${run.length / unit.length}⟩`,
    );
}

/** A failed check of one exchange: the violations, the request and the response. */
export class FuzzViolation extends Error {
  override readonly name = 'FuzzViolation';

  constructor(
    violations: string[],
    request: FuzzRequest,
    response: FuzzResponse,
    redact?: (text: string) => string,
  ) {
    super(
      `${violations.map((violation) => `- ${redact?.(violation) ?? violation}`).join('\n')}\n  ${describeExchange(request, response, redact)}`,
    );
  }
}

/** Throws a {@link FuzzViolation} when there are violations. */
export function expectNoViolations(
  violations: string[],
  request: FuzzRequest,
  response: FuzzResponse,
  redact?: (text: string) => string,
): void {
  if (violations.length > 0) throw new FuzzViolation(violations, request, response, redact);
}

/**
 * Checks a property with fast-check; on failure, throws an error that names the seed, the
 * replay path, the shrunk counterexample and what its request got back.
 */
export async function checkFuzzProperty<T>(
  name: string,
  arbitrary: Arbitrary<T>,
  predicate: (value: T) => Promise<void>,
  settings: FuzzSettings,
): Promise<void> {
  const details = await fc.check(fc.asyncProperty(arbitrary, predicate), {
    seed: settings.seed,
    numRuns: settings.numRuns,
    ...(settings.path === undefined ? {} : { path: settings.path }),
  });
  if (!details.failed) return;
  const error = details.errorInstance;
  const replay =
    `M2M_FUZZ_SEED=${details.seed} M2M_FUZZ_PATH=${details.counterexamplePath ?? ''} ` +
    `npx jest --testPathPatterns fuzz -t '${name}'`;
  throw new Error(
    [
      `Fuzz property "${name}" failed with seed ${details.seed}` +
        ` (path ${details.counterexamplePath ?? 'none'}) after ${details.numRuns} runs` +
        ` and ${details.numShrinks} shrinks.`,
      `Re-run: M2M_FUZZ_SEED=${details.seed} npx jest --testPathPatterns fuzz`,
      `Replay the counterexample alone (a failure that earlier requests set up needs the full run): ${replay}`,
      `Counterexample: ${details.counterexample === null ? 'none' : printable(details.counterexample[0])}`,
      error instanceof Error ? error.message : String(error),
    ].join('\n'),
  );
}
