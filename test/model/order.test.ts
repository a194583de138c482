// Every comparator keeps Array.prototype.sort's contract: 0 exactly on equal keys, the opposite
// sign when its arguments swap, and a total order (so a sort's result never depends on input order).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byBytesDescThenPath, byNumber, bySizeDescThenName, byText, byUtf8, type Comparator } from '../../src/model/order.js';

function keepsTheContract<T>(name: string, compare: Comparator<T>, value: fc.Arbitrary<T>, key: (v: T) => string): void {
  it(`${name} returns 0 on equal keys, flips with its arguments, and sorts the same whatever the input order`, () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(compare(a, a)).toBe(0);
        expect(Math.sign(compare(a, b))).toBe(-Math.sign(compare(b, a)) || 0);
        expect(compare(a, b) === 0).toBe(key(a) === key(b));
      }),
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 12 }), (list) => {
        const sorted = [...list].sort(compare).map(key);
        expect([...list].reverse().sort(compare).map(key)).toEqual(sorted);
      }),
    );
  });
}

const name = fc.constantFrom('a', 'b', 'ab', 'B', 'é', 'z', '');
describe('orderings', () => {
  keepsTheContract('byText', byText, name, (s) => s);
  keepsTheContract('byUtf8', byUtf8, fc.string(), (s) => s);
  keepsTheContract('byNumber', byNumber, fc.integer(), String);
  keepsTheContract('byBytesDescThenPath', byBytesDescThenPath, fc.record({ bytes: fc.nat(3), path: name }), (v) => `${v.bytes}/${v.path}`);
  keepsTheContract('bySizeDescThenName', bySizeDescThenName, fc.record({ size: fc.nat(3), name }), (v) => `${v.size}/${v.name}`);

  it('puts larger first, then paths in code-unit order', () => {
    const files = [{ bytes: 1, path: 'b' }, { bytes: 5, path: 'z' }, { bytes: 1, path: 'a' }, { bytes: 1, path: 'a' }];
    expect(files.sort(byBytesDescThenPath)).toEqual([{ bytes: 5, path: 'z' }, { bytes: 1, path: 'a' }, { bytes: 1, path: 'a' }, { bytes: 1, path: 'b' }]);
    expect(['b', 'B', 'a'].sort(byText)).toEqual(['B', 'a', 'b']);
  });

  it('orders by UTF-8 bytes where code units would not (a character above U+FFFF against U+FFFD)', () => {
    expect(['\u{1F600}', '\uFFFD'].sort(byUtf8)).toEqual(['\uFFFD', '\u{1F600}']);
    expect(['\u{1F600}', '\uFFFD'].sort(byText)).toEqual(['\u{1F600}', '\uFFFD']);
  });
});
