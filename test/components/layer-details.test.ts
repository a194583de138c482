import { describe, expect, it } from 'vitest';
import { detailsLines } from '../../components/LayerDetails.js';
import { createTheme } from '../../components/theme.js';
import { analyseImage } from '../../src/analysis/analyse.js';
import { placeOn } from '../../src/build/step-map.js';
import { dir, file, parseSpec } from '../helpers/archives.js';

describe('the layer details after layerscope build', () => {
  it("show the layer's Dockerfile line and, for a COPY --from, the stage it came from", async () => {
    // The classic builder records `COPY --from=build` as `COPY dir:… in /app`; the Dockerfile says more.
    const steps = ['/bin/sh -c #(nop) ADD file:0a1b in / ', '/bin/sh -c apt-get install -y python3', '/bin/sh -c #(nop) COPY dir:5f0e in /app '];
    const image = await parseSpec({
      layout: 'docker-save',
      images: [{ layers: [[file('etc/os-release', 10)], [file('usr/bin/python3', 20)], [dir('app'), file('app/main.py', 30)]], history: steps.map((createdBy) => ({ createdBy })) }],
    });
    const text = 'FROM base AS build\nRUN make\n\nFROM base\nRUN apt-get install -y python3\nCOPY --from=build /out /app\n';
    const analysis = analyseImage(image, { dockerfile: placeOn({ path: '/ctx/Dockerfile', text }, undefined)(image) });
    expect(analysis.provenance.layers[2]).toEqual({ kind: 'stage', stage: 'build' });
    const theme = createTheme({ colour: false, unicode: false });
    const lines = (index: number) => {
      const layer = analysis.layers[index];
      if (!layer) throw new Error(`no layer ${index}`);
      const info = { index, diffId: layer.diffId, instruction: layer.instruction, bytes: layer.bytes, ready: true };
      return detailsLines(info, layer, 8, 60, theme);
    };
    expect(lines(2)).toContain('Dockerfile:6 COPY from build in stage 1');
    expect(lines(1)).toContain('Dockerfile:5 RUN in stage 1');
    expect(lines(0)).toContain('Dockerfile:4 base image (FROM) in stage 1');
  });
});
