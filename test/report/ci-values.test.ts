import { describe, expect, it } from 'vitest';
import { parseByteSize, parseGoFloat, parsePercent } from '../../src/report/ci-values.js';

describe('parseByteSize, as go-humanize ParseBytes reads a size', () => {
  // Every row of go-humanize's own TestByteParsing (bytes_test.go) that fits below 2^53.
  const goHumanizeTable: [string, number][] = [
    ['42', 42],
    ['42MB', 42000000],
    ['42MiB', 44040192],
    ['42mb', 42000000],
    ['42mib', 44040192],
    ['42MIB', 44040192],
    ['42 MB', 42000000],
    ['42 MiB', 44040192],
    ['42 mb', 42000000],
    ['42 mib', 44040192],
    ['42 MIB', 44040192],
    ['42.5MB', 42500000],
    ['42.5MiB', 44564480],
    ['42.5 MB', 42500000],
    ['42.5 MiB', 44564480],
    ['42M', 42000000],
    ['42Mi', 44040192],
    ['42m', 42000000],
    ['42mi', 44040192],
    ['42MI', 44040192],
    ['42 M', 42000000],
    ['42 Mi', 44040192],
    ['42 m', 42000000],
    ['42 mi', 44040192],
    ['42 MI', 44040192],
    ['42.5M', 42500000],
    ['42.5Mi', 44564480],
    ['42.5 M', 42500000],
    ['42.5 Mi', 44564480],
  ];
  it.each(goHumanizeTable)('reads %j as %d bytes, as go-humanize does', (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });

  it.each([
    ['20MB', 20_000_000],
    ['20MiB', 20_971_520],
    ['1.5GB', 1_500_000_000],
    ['1.5GiB', 1_610_612_736],
    ['50kB', 50_000],
    ['19Mb', 19_000_000],
    ['512000', 512_000],
    ['0', 0],
    ['1,000kB', 1_000_000],
    ['1.5B', 1],
    ['0.5KiB', 512],
    ['2TB', 2e12],
  ])('reads %j as %d bytes: SI units are powers of 1000, IEC ones of 1024, fractions of a byte are cut', (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });

  it.each(['84 JB', '', '-1', '-1MB', ' 42MB', '1e6', '42 M B', 'MB', '20 MBs', '1..5MB', 'twenty'])(
    'refuses %j, as go-humanize does',
    (text) => {
      expect(parseByteSize(text)).toBeUndefined();
    },
  );

  it('refuses sizes past 2^53 bytes, which go-humanize would still take', () => {
    expect(parseByteSize('16 EiB')).toBeUndefined(); // go-humanize refuses this one too
    expect(parseByteSize('12.5 EB')).toBeUndefined(); // go-humanize takes it; a JavaScript number cannot hold it
    expect(parseByteSize('8PB')).toBe(8e15);
  });
});

describe('parseGoFloat, as Go strconv.ParseFloat reads dive ratios', () => {
  it.each([
    ['0.95', 0.95],
    ['.5', 0.5],
    ['1.', 1],
    ['1e-1', 0.1],
    ['+0.5', 0.5],
    ['-0.1', -0.1],
    ['0', 0],
  ])('reads %j as %d', (text, value) => {
    expect(parseGoFloat(text)).toBe(value);
  });

  it.each(['', ' 0.9', '0.9 ', '95%', 'abc', '0,9', '1_0', 'NaN', 'Inf', '0x1p-1'])('refuses %j', (text) => {
    expect(parseGoFloat(text)).toBeUndefined();
  });
});

describe('parsePercent, for --max-wasted-percent', () => {
  it('reads a percentage with or without % as the same ratio', () => {
    expect(parsePercent('5')).toBe(0.05);
    expect(parsePercent('5%')).toBe(0.05);
    expect(parsePercent(' 2.5 % ')).toBe(0.025);
    expect(parsePercent('100')).toBe(1);
    expect(parsePercent('0')).toBe(0);
  });

  it('gives exactly the double dive would read from the ratio written out', () => {
    // 0.7 / 100 is 0.006999999999999999 in floating point; dive's "0.007" is 0.007.
    expect(0.7 / 100).not.toBe(0.007);
    expect(parsePercent('0.7')).toBe(0.007);
    expect(parsePercent('5.1')).toBe(0.051);
  });

  it.each(['100.5', '-1', 'abc', '', '5%%', '0.05%x'])('refuses %j', (text) => {
    expect(parsePercent(text)).toBeUndefined();
  });
});
