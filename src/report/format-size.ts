// Sizes as people read them next to `docker images`: decimal units, three significant digits,
// rounded (16,750,000 bytes is "16.8 MB", 811,560,000 is "812 MB"). The one formatter every
// surface uses — the explorer, the Markdown report, the CI verdict, the progress line.

import prettyBytes from 'pretty-bytes';

/**
 * `docker images` prints go-units' `HumanSizeWithPrecision(size, 3)`: `%.3g` of the size in
 * 1000-based units, so it rounds to three significant digits. pretty-bytes' default does the
 * same (with a space before the unit, and `1 GB` where go-units would print `1e+03MB`).
 */
export function formatSize(bytes: number): string {
  return prettyBytes(bytes);
}
