import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractGenericJson, GenericJsonPayload } from '../../../src/domain/ingest/formats/json.js';
import { timestampToMs } from '../../../src/domain/ingest/timestamp.js';
import { classifyZodError } from '../../../src/domain/ingest/zod-issues.js';

/** The extraction as it was, every payload through the schema: the reference for the quick path. */
function bySchema(parsed: unknown, timezone: string) {
  const result = GenericJsonPayload.safeParse(parsed);
  if (!result.success) return classifyZodError(result.error, parsed);
  const p = result.data;
  const tsMs = p.ts === undefined ? undefined : timestampToMs(p.ts, timezone);
  if (p.ts !== undefined && tsMs === undefined) return { ok: false };
  return {
    ok: true,
    raw: {
      ...(tsMs !== undefined ? { tsMs } : {}),
      ...(p.energyKWh !== undefined ? { energyKWh: p.energyKWh } : {}),
      ...(p.powerW !== undefined ? { powerW: p.powerW } : {}),
    },
  };
}

const valueArb = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(Number.POSITIVE_INFINITY, null, true, '12.5', '2024-06-01T12:00:00Z', 1717214400),
  fc.string(),
  fc.constant([1]),
  fc.constant({ a: 1 }),
);
const payloadArb = fc.oneof(
  fc.record({ ts: valueArb, energyKWh: valueArb, powerW: valueArb, extra: valueArb }, { requiredKeys: [] }),
  valueArb,
);

describe('the generic JSON format', () => {
  it('extracts or refuses every payload as the schema alone did', () => {
    fc.assert(
      fc.property(payloadArb, (parsed) => {
        const got = extractGenericJson(parsed, 'Asia/Shanghai');
        const want = bySchema(parsed, 'Asia/Shanghai');
        if (want.ok) expect(got).toEqual(want);
        else {
          expect(got.ok).toBe(false);
          if ('reason' in want) expect(got).toEqual(want);
        }
      }),
      { numRuns: 3_000 },
    );
  });
});
