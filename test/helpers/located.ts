// A hand-made image built from a known Dockerfile (classic-builder history), analysed with its
// history placed on the Dockerfile: the input of the CI format tests. One file name is hostile:
// an escape sequence, the runner's `::` command syntax, `,` and `%`, and XML's `<&>"`.
//
// Layers: 0 the base (bin/sh, 2,000 B); 1 `RUN apt-get update && \ apt-get install -y gcc`
// (lines 3-4: an apt list of 5,000 B and gcc, 30,000 B); 2 `COPY . /app` (line 5: .git/config
// 300 B and the hostile name under .git, 10 B; tmp/build.log 4,000 B); 3 `RUN rm -rf /app/tmp` (line 6).

import { analyseImage, type ImageAnalysis } from '../../src/analysis/analyse.js';
import { mapSteps } from '../../src/build/step-map.js';
import { dir, file, parseSpec, whiteout } from './archives.js';

export const HOSTILE_NAME = 'app/.git/\u001b[31m::warning::x,y%z<&>".pack';

export const DOCKERFILE = [
  '# syntax=docker/dockerfile:1',
  'FROM debian:bookworm',
  'RUN apt-get update && \\',
  '    apt-get install -y gcc',
  'COPY . /app',
  'RUN rm -rf /app/tmp',
  'CMD ["/app/run"]',
  '',
].join('\n');

const HISTORY = [
  { createdBy: '/bin/sh -c #(nop) ADD file:0a1b2c3d in / ' },
  { createdBy: '/bin/sh -c #(nop)  CMD ["bash"]', emptyLayer: true },
  { createdBy: '/bin/sh -c apt-get update &&     apt-get install -y gcc' },
  { createdBy: '/bin/sh -c #(nop) COPY dir:9f8e7d6c in /app ' },
  { createdBy: '/bin/sh -c rm -rf /app/tmp' },
  { createdBy: '/bin/sh -c #(nop)  CMD ["/app/run"]', emptyLayer: true },
];

export async function locatedAnalysis(dockerfilePath = 'ci/Dockerfile'): Promise<ImageAnalysis> {
  const layers = [
    [dir('bin'), file('bin/sh', 2000, 0o755)],
    [dir('usr'), dir('usr/bin'), file('usr/bin/gcc', 30_000, 0o755), dir('var'), dir('var/lib'), dir('var/lib/apt'), dir('var/lib/apt/lists'), file('var/lib/apt/lists/deb_Packages', 5_000)],
    [dir('app'), dir('app/.git'), file('app/.git/config', 300), dir('app/tmp'), file('app/tmp/build.log', 4_000), file(HOSTILE_NAME, 10)],
    [whiteout('app/tmp')],
  ];
  const image = await parseSpec({ layout: 'docker-save', images: [{ layers, history: HISTORY }] });
  return analyseImage(image, { dockerfile: mapSteps(DOCKERFILE, image.history, { file: dockerfilePath }) });
}
