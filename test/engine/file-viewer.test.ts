// The file viewer (`v`) on engine images without kept blobs: each file is read alone through a
// container of the image (or of the intermediate image a local classic build kept for its layer),
// never from a new export, and shows exactly what the export's layer holds for it. Every regular
// file of every layer of the fixtures whose files are rewritten, removed or hidden by later layers.

import { beforeAll, describe, expect, it } from 'vitest';
import type { Entry } from '../../src/model/types.js';
import { blobsOfLayer, readFileContent } from '../../src/archive/read-file-content.js';
import { chunked } from '../helpers/archives.js';
import { dockerCli, fixtureImage, requireEngine } from './engine.js';

const built = async <T>(path: string): Promise<T> => (await import(new URL(`../../dist/src/${path}`, import.meta.url).href)) as T;
const { readImage } = await built<typeof import('../../src/sources/read-image.js')>('sources/read-image.js');
const { openImage } = await built<typeof import('../../src/sources/open-image.js')>('sources/open-image.js');
const { readLayerFile } = await built<typeof import('../../src/sources/read-layer-file.js')>('sources/read-layer-file.js');

beforeAll(requireEngine);

const LABEL = 'label=io.layerscope.viewer';

describe('v on an engine image without kept blobs', () => {
  for (const name of ['overwrites', 'deletes', 'opaque']) {
    it(`shows every file of every layer of ${name} as its layer in the export holds it, with no export`, async () => {
      const ref = fixtureImage(name);
      const target = { kind: 'engine', reference: ref, name: ref } as const;
      const opened = await openImage(target, { noCache: true });
      const image = await readImage(target, { read: { hashContent: true }, open: async () => opened });
      const chunks: Buffer[] = [];
      for await (const chunk of opened.archive()) chunks.push(chunk);
      const exported = Buffer.concat(chunks);
      const noExport = { ...opened, archive: () => { throw new Error(`${ref} was exported again`); } };
      // The base layer's busybox is one file linked under every applet's name: a few of its files do.
      const files = image.layers.flatMap((layer) => layer.contents.entries.filter((entry: Entry) => entry.type === 'file').slice(0, 5).map((entry) => [layer.index, entry.path] as const));
      expect(files.length).toBeGreaterThan(image.layers.length);
      for (const [layer, path] of files) {
        const alone = await readLayerFile(noExport, image, layer, path, 4096);
        expect(alone, `${layer} ${path}`).toEqual(await readFileContent(chunked(exported), blobsOfLayer(image, layer), path, 4096));
      }
      expect(dockerCli(['ps', '-aq', '--filter', LABEL]).toString().trim(), 'viewer containers left behind').toBe('');
    });
  }
});
