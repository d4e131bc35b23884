import { describe, expect, it } from 'vitest';
import { encodePoint, toLine } from '../../../src/domain/export/line-protocol.js';

describe('line protocol', () => {
  it('escapes names, tags and strings, sorts tags and stamps milliseconds', () => {
    expect(
      toLine({
        measurement: 'set point',
        tags: { space: 'lobby 1', site: 'a,b', device: 'x=y', end_use: undefined, kind: '' },
        fields: { reason: 'say "hi"\nthere \\ ok', level: 40, on: true, skipped: undefined, nan: Number.NaN },
        tsMs: 1_700_000_000_000.4,
      }),
    ).toBe(
      'set\\ point,device=x\\=y,site=a\\,b,space=lobby\\ 1 reason="say \\"hi\\" there \\\\ ok",level=40,on=true 1700000000000',
    );
  });

  it('writes nothing for a point without fields, and keys a point by series and time', () => {
    expect(toLine({ measurement: 'm', tags: {}, fields: { a: undefined }, tsMs: 1 })).toBeUndefined();
    const a = encodePoint({ measurement: 'm', tags: { b: '1', a: '2' }, fields: { v: 1 }, tsMs: 5 });
    const b = encodePoint({ measurement: 'm', tags: { a: '2', b: '1' }, fields: { v: 2 }, tsMs: 5 });
    expect(a?.key).toBe('m,a=2,b=1 5');
    expect(b?.key).toBe(a?.key);
  });
});
