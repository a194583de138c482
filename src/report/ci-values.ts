// The value syntaxes of the CI gate, shared by flags, .layerscope.yml and dive's .dive-ci, so that
// `20MB` means the same number of bytes wherever it is written. Each returns undefined when the text
// is not of its form; callers turn that into a UsageError naming the key.

/**
 * go-humanize's `ParseBytes` (github.com/dustin/go-humanize bytes.go, v1.0.1, the version dive's
 * go.mod pins), which dive uses for `highestWastedBytes`. No npm parser matches it: `bytes` reads
 * `KB` as 1024 and rejects `KiB`. Its rules, reproduced:
 * - the number is the leading run of digits, `.` and `,` (commas are dropped: `1,000kB`); no sign,
 *   no exponent, no leading space — the rest, trimmed and lower-cased, must be a unit;
 * - SI units are powers of 1000 (`kb`, `mb` … `eb`), IEC units powers of 1024 (`kib` … `eib`);
 *   the trailing `b` is optional (`20M`, `20Mi`), and no unit means bytes;
 * - the product is truncated to a whole number of bytes (`1.5B` is 1).
 * One deliberate difference: go-humanize accepts up to 2^64; figures here are JavaScript numbers, so
 * anything past 2^53 (9 PB) is refused as too large rather than silently rounded.
 */
export function parseByteSize(text: string): number | undefined {
  const number = /^[0-9.,]*/.exec(text)?.[0] ?? '';
  const value = parseGoFloat(number.replaceAll(',', ''));
  const unit = BYTE_UNITS[text.slice(number.length).trim().toLowerCase()];
  if (value === undefined || unit === undefined) return undefined;
  const bytes = Math.trunc(value * unit);
  return bytes <= Number.MAX_SAFE_INTEGER ? bytes : undefined;
}

const SI = (power: number): number => 1000 ** power;
const IEC = (power: number): number => 1024 ** power;

const BYTE_UNITS: Readonly<Record<string, number>> = Object.assign(Object.create(null) as Record<string, number>, {
  '': 1, b: 1,
  k: SI(1), kb: SI(1), ki: IEC(1), kib: IEC(1),
  m: SI(2), mb: SI(2), mi: IEC(2), mib: IEC(2),
  g: SI(3), gb: SI(3), gi: IEC(3), gib: IEC(3),
  t: SI(4), tb: SI(4), ti: IEC(4), tib: IEC(4),
  p: SI(5), pb: SI(5), pi: IEC(5), pib: IEC(5),
  e: SI(6), eb: SI(6), ei: IEC(6), eib: IEC(6),
});

/**
 * Go's `strconv.ParseFloat(s, 64)` for decimal text, which dive uses for `lowestEfficiency` and
 * `highestUserWastedPercent`: optional sign, digits with at most one point, optional exponent, no
 * surrounding space. Go also takes hex floats, `Inf` and `NaN`; those are refused here (`NaN` would
 * pass dive's range check and then never fail a rule — a gate that cannot fail).
 */
export function parseGoFloat(text: string): number | undefined {
  if (!/^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * layerscope's `--max-wasted-percent`: a percentage 0-100, with or without `%` (`5`, `5%`, `2.5 %`),
 * returned as the ratio dive's userWastedPercent is kept in. The ratio is read from the decimal text
 * shifted two places (`0.7` → `0.7e-2`), so it is the same double as dive's `0.007` (0.7 / 100 is not), and a figure
 * equal to one is equal to the other.
 */
export function parsePercent(text: string): number | undefined {
  const match = /^\s*([0-9]+\.?[0-9]*|\.[0-9]+)\s*%?\s*$/.exec(text);
  if (!match?.[1]) return undefined;
  const ratio = Number(`${match[1]}e-2`);
  return ratio <= 1 ? ratio : undefined;
}
