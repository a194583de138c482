// Builds image archives in memory and reads them back through the real parser.

import { readImageArchive, type ReadImageOptions } from '../../src/archive/read-image-archive.js';
import { writeImageArchive, type ArchiveSpec, type ImageSpec, type TarEntrySpec } from '../../src/archive/write-image-archive.js';
import { analyseImage } from '../../src/analysis/analyse.js';
import type { ParsedImage } from '../../src/model/types.js';

export type { TarEntrySpec, ImageSpec };

export async function* chunked(buffer: Buffer, size = 7919): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < buffer.length; offset += size) yield buffer.subarray(offset, offset + size);
}

export async function parse(archive: Buffer, options: Partial<ReadImageOptions> = {}): Promise<ParsedImage> {
  return readImageArchive(chunked(archive), { source: 'test-archive', ...options });
}

export async function parseSpec(spec: ArchiveSpec, options: Partial<ReadImageOptions> = {}): Promise<ParsedImage> {
  return parse(await writeImageArchive(spec), options);
}

/** One image, legacy layout, from layers of tar entries. */
export async function analyseLayers(layers: readonly (readonly TarEntrySpec[])[]) {
  return analyseImage(await parseSpec({ layout: 'docker-save', images: [{ layers }] }));
}

export const dir = (name: string): TarEntrySpec => ({ name: `${name}/`, type: 'directory' });
export const file = (name: string, content: string | number, mode?: number): TarEntrySpec => ({
  name,
  content,
  ...(mode === undefined ? {} : { mode }),
});
export const whiteout = (path: string): TarEntrySpec => {
  const slash = path.lastIndexOf('/');
  return { name: `${path.slice(0, slash + 1)}.wh.${path.slice(slash + 1)}`, content: '' };
};
export const opaque = (dirPath: string): TarEntrySpec => ({ name: `${dirPath}/.wh..wh..opq`, content: '' });

/** Re-packs an archive's members in another order (arrival order must never matter). */
export async function reorder(archive: Buffer, order: (names: string[]) => string[]): Promise<Buffer> {
  const { extract, pack } = await import('tar-stream');
  const members = new Map<string, { header: import('tar-stream').Header; data: Buffer }>();
  const reader = extract();
  const done = (async () => {
    for await (const entry of reader) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      members.set(entry.header.name, { header: entry.header, data: Buffer.concat(chunks) });
    }
  })();
  reader.end(archive);
  await done;
  const writer = pack();
  const out = (async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of writer as AsyncIterable<Buffer>) chunks.push(chunk);
    return Buffer.concat(chunks);
  })();
  for (const name of order([...members.keys()])) {
    const member = members.get(name);
    if (!member) continue;
    await new Promise<void>((resolve, reject) => {
      const cb = (error?: Error | null): void => (error ? reject(error) : resolve());
      if (member.header.type === 'file') writer.entry(member.header, member.data, cb);
      else writer.entry(member.header, cb);
    });
  }
  writer.finalize();
  return out;
}
