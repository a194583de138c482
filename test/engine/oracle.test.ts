// The model against the engine's own answer: for every fixture image, the final merged tree
// layerscope computes equals `docker export` of a container created from the image.

import { beforeAll, describe, expect, it } from 'vitest';
import { analyseImage } from '../../src/analysis/analyse.js';
import { buildFileTree } from '../../src/model/file-tree.js';
import { exportedTree, FIXTURES, fixtureImage, modelTree, parseFromEngine, requireEngine } from './engine.js';

beforeAll(requireEngine);

describe('the merged tree equals docker export', () => {
  for (const name of FIXTURES) {
    it(`for the ${name} fixture (paths, types, sizes)`, async () => {
      const image = await parseFromEngine(fixtureImage(name));
      const ours = modelTree(buildFileTree(image));
      const theirs = await exportedTree(fixtureImage(name));
      expect(ours.length).toBeGreaterThan(10);
      expect(ours).toEqual(theirs);
      const { figures } = analyseImage(image);
      expect(figures.finalBytes + figures.unreachableBytes).toBe(figures.imageBytes);
    });
  }
});
