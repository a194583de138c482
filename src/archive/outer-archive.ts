// The outer archive as a plain tar byte stream, whatever it came as: a `docker save` tar, the
// same gzip'd, an OCI layout tar. The one opener for the parser and the file viewer alike. It
// also stops at the tar's end-of-archive marker (two zero blocks), so a source that goes on
// after it (padding, a device of zeros, a misbehaving engine) is not read forever.

import { InvalidArchiveError } from '../errors.js';
import { classifyBlob, decompress } from './decompress.js';
import { peek } from './streams.js';
import { decodeHeader, isNameHeader, LongNames, paddedSize, tarNumber, TYPE } from './tar-header.js';

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
 * never looking into contents.
 */
export async function* untilTarEnd(tar: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const walk = new HeaderWalk();
  for await (const chunk of tar) {
    const end = walk.push(chunk);
    if (end !== undefined) {
      yield chunk.subarray(0, end);
      return;
    }
    yield chunk;
  }
}

/** Where the tar's headers are, fed chunk by chunk, read as tar-stream reads them (tar-header.ts). */
class HeaderWalk {
  private skip = 0; // content bytes (padded to blocks) before the next header
  private header = Buffer.alloc(0); // a header block split across chunks
  private zeroBlocks = 0;
  private collected: { type: number; parts: Buffer[]; size: number } | undefined; // a pax or GNU name header's content
  private readonly names = new LongNames();

  /** Returns the offset just after the end-of-archive marker when this chunk holds it. */
  push(chunk: Buffer): number | undefined {
    let at = 0;
    while (at < chunk.length) {
      if (this.skip > 0) {
        const step = Math.min(this.skip, chunk.length - at);
        this.collected?.parts.push(chunk.subarray(at, at + step));
        this.skip -= step;
        at += step;
        if (this.skip === 0 && this.collected) this.endNames();
        continue;
      }
      const take = Math.min(BLOCK - this.header.length, chunk.length - at);
      this.header = Buffer.concat([this.header, chunk.subarray(at, at + take)]);
      at += take;
      if (this.header.length < BLOCK) continue;
      if (this.onHeader(this.header)) return at;
      this.header = Buffer.alloc(0);
    }
    return undefined;
  }

  /** True at the second zero block in a row. */
  private onHeader(block: Buffer): boolean {
    const header = decodeHeader(block);
    if (header === 'zero') return ++this.zeroBlocks === 2;
    this.zeroBlocks = 0;
    // A header tar-stream refuses fails the parse: skipping by its raw size only keeps this walk going meanwhile.
    const size = header ? header.size : tarNumber(block.subarray(124, 136)) || 0;
    if (header && isNameHeader(header.type)) {
      // tar-stream refuses name headers over 4 MiB.
      if (size > 0 && size <= 4 << 20) this.collected = { type: header.type, parts: [], size };
      this.skip = paddedSize(size);
      return false;
    }
    const entry = header && this.names.apply(header);
    // tar-stream gives a directory no content, whatever its size field says.
    this.skip = entry?.type === TYPE.directory ? 0 : paddedSize(entry ? entry.size : size);
    return false;
  }

  private endNames(): void {
    const { type, parts, size } = this.collected as { type: number; parts: Buffer[]; size: number };
    this.collected = undefined;
    this.names.take(type, Buffer.concat(parts).subarray(0, size));
  }
}
