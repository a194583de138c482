// The outer archive as a plain tar byte stream, whatever it came as: a `docker save` tar, the
// same gzip'd, an OCI layout tar. The one opener for the parser and the file viewer alike. It
// also stops at the tar's end-of-archive marker (two zero blocks), so a source that goes on
// after it (padding, a device of zeros, a misbehaving engine) is not read forever.

import { InvalidArchiveError } from '../errors.js';
import { classifyBlob, decompress } from './decompress.js';
import { peek } from './streams.js';
import { paddedSize, tarNumber } from './tar-header.js';
import { TarEntries } from './tar-entries.js';

const BLOCK = 512;

/** The archive's tar bytes, decompressed; throws when it is neither a tar nor a compressed one. */
export async function openOuterArchive(archive: AsyncIterable<Buffer>, source: string): Promise<AsyncIterable<Buffer>> {
  const { head, all } = await peek(archive, BLOCK);
  const kind = classifyBlob(head);
  if (kind === 'json' || kind === 'other') {
    throw new InvalidArchiveError(source, head.length === 0 ? 'it is empty' : 'it is not a tar archive');
  }
  return untilTarEnd(decompress(all, kind));
}

/**
 * Passes a tar stream through up to and including its end-of-archive marker, then stops reading
 * the source. Walks only the header chain (sizes, and the pax and GNU headers that change them),
 * never looking into contents. A header tar-stream refuses fails the parse after this: skipping
 * by its raw size only keeps this walk going meanwhile.
 */
export async function* untilTarEnd(tar: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const walk = new TarEntries({ entry: () => false, refused: (block) => paddedSize(Math.max(0, tarNumber(block, 124, 12) || 0)) }, true);
  for await (const chunk of tar) {
    const end = walk.push(chunk);
    if (end !== undefined) {
      yield chunk.subarray(0, end);
      return;
    }
    yield chunk;
  }
}
