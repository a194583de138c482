// One layer blob (tar, gzip or zstd) → its entries, whiteouts and opaque directories.
// Contents stream through: each regular file is hashed as it passes and never kept.

import { createHash, type Hash } from 'node:crypto';
import { extract as tarExtract, type Header } from 'tar-stream';
import type { Compression, Entry, EntryType, LayerContents } from '../model/types.js';
import { decompress } from './decompress.js';
import { baseName, normalisePath, parentOf, joinPath } from './paths.js';
import { feed } from './streams.js';

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';
/** Other `.wh..wh.` names are AUFS bookkeeping (plnk, aufs) and carry no meaning here. */
const AUFS_META = '.wh..wh.';

export interface ReadLayerOptions {
  /** Hash each regular file's content (sha256); needed for digests, costs CPU. */
  readonly hashContent: boolean;
  /** Called with uncompressed byte counts as the layer streams, for progress. */
  readonly onBytes?: (bytes: number) => void;
}

/** Parses one layer blob. Throws on a truncated or corrupt blob; the caller names the layer. */
export async function readLayer(
  blob: AsyncIterable<Buffer>,
  compression: Compression,
  options: ReadLayerOptions,
): Promise<LayerContents> {
  const tar = tarExtract();
  const diffHash = createHash('sha256');
  let tarBytes = 0;
  const feeding = feed(decompress(blob, compression), tar, (chunk) => {
    diffHash.update(chunk);
    tarBytes += chunk.length;
    options.onBytes?.(chunk.length);
  });

  const entries: Entry[] = [];
  const indexByPath = new Map<string, number>();
  const whiteouts = new Set<string>();
  const opaqueDirs = new Set<string>();
  try {
    for await (const stream of tar) {
      const header = stream.header;
      const path = normalisePath(header.name);
      const name = baseName(path);
      if (name.startsWith(WHITEOUT)) {
        if (name === OPAQUE) opaqueDirs.add(parentOf(path));
        else if (!name.startsWith(AUFS_META)) whiteouts.add(joinPath(parentOf(path), name.slice(WHITEOUT.length)));
        stream.resume();
        continue;
      }
      const type = entryType(header);
      let digest: string | undefined;
      if (type === 'file' && options.hashContent) {
        digest = await hashStream(stream as AsyncIterable<Buffer>, createHash('sha256'));
      } else {
        stream.resume();
      }
      if (path === '') continue; // the root directory itself
      const entry = toEntry(path, type, header, digest);
      const existing = indexByPath.get(path);
      if (existing === undefined) {
        indexByPath.set(path, entries.length);
        entries.push(entry);
      } else {
        entries[existing] = entry; // a later copy of a path in the same tar wins, as on extraction
      }
    }
  } catch (error) {
    tar.destroy();
    throw error;
  }
  await feeding;
  return {
    entries,
    whiteouts: [...whiteouts],
    opaqueDirs: [...opaqueDirs],
    diffId: `sha256:${diffHash.digest('hex')}`,
    tarBytes,
    compression,
  };
}

function entryType(header: Header): EntryType {
  switch (header.type) {
    case 'file':
    case 'contiguous-file':
      return 'file';
    case 'directory':
      return 'dir';
    case 'symlink':
      return 'symlink';
    case 'link':
      return 'hardlink';
    default:
      return 'other';
  }
}

function toEntry(path: string, type: EntryType, header: Header, digest: string | undefined): Entry {
  const base = {
    path,
    type,
    size: type === 'file' ? header.size : 0,
    mode: header.mode,
    uid: header.uid,
    gid: header.gid,
  };
  const linkTarget =
    type === 'symlink' ? header.linkname : type === 'hardlink' ? normalisePath(header.linkname) : undefined;
  return {
    ...base,
    ...(linkTarget !== undefined ? { linkTarget } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

async function hashStream(stream: AsyncIterable<Buffer>, hash: Hash): Promise<string> {
  for await (const chunk of stream) hash.update(chunk);
  return `sha256:${hash.digest('hex')}`;
}
