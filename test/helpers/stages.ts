// A hand-made multi-stage build, shared by the comparison and report tests. Both stages start
// from the same base layer (2,000 bytes). Builder: apt installs a compiler (gcc 30,000 B, a .deb
// 20,000 B, a 5,000 B apt list), the sources are copied in (main.c 700 B), the build writes
// /out/app (9,000 B). Final: the base, then COPY --from=builder /out/app /usr/local/bin/app, and a
// cache it should not have: /var/cache/apt/archives/gcc.deb copied across (20,000 B).

import { analyseImage, type ImageAnalysis } from '../../src/analysis/analyse.js';
import type { FindingsOptions } from '../../src/analysis/findings.js';
import { dir, file, parseSpec, type TarEntrySpec } from './archives.js';

export const base: TarEntrySpec[] = [dir('bin'), file('bin/sh', 2000, 0o755)];
export const builderLayers: TarEntrySpec[][] = [
  base,
  [dir('usr'), dir('usr/bin'), file('usr/bin/gcc', 30_000, 0o755), dir('var'), dir('var/cache'), dir('var/cache/apt'), dir('var/cache/apt/archives'), file('var/cache/apt/archives/gcc.deb', 20_000), dir('var/lib'), dir('var/lib/apt'), dir('var/lib/apt/lists'), file('var/lib/apt/lists/deb_Packages', 5_000)],
  [dir('src'), file('src/main.c', 700)],
  [dir('out'), file('out/app', 9_000, 0o755)],
];
export const finalLayers: TarEntrySpec[][] = [
  base,
  [dir('usr'), dir('usr/local'), dir('usr/local/bin'), file('usr/local/bin/app', 9_000, 0o755)],
  [dir('var'), dir('var/cache'), dir('var/cache/apt'), dir('var/cache/apt/archives'), file('var/cache/apt/archives/gcc.deb', 20_000)],
];
export const builderHistory = ['/bin/sh -c #(nop) ADD file:0a1b in / ', 'RUN apt-get update && apt-get install -y gcc', 'COPY . /src', 'RUN cc -o /out/app /src/main.c'];
export const finalHistory = ['/bin/sh -c #(nop) ADD file:0a1b in / ', 'COPY --from=builder /out/app /usr/local/bin/app', 'COPY --from=builder /var/cache/apt/archives /var/cache/apt/archives'];

/** Parses and analyses layers with their history steps. */
export async function analyseStage(
  layers: TarEntrySpec[][],
  history: string[],
  options: { hashContent?: boolean; role?: FindingsOptions['role'] } = {},
): Promise<ImageAnalysis> {
  const image = await parseSpec({ layout: 'docker-save', images: [{ layers, history: history.map((createdBy) => ({ createdBy })) }] }, { hashContent: options.hashContent ?? true });
  return analyseImage(image, { role: options.role ?? 'final' });
}
