// The outer archive as a plain tar byte stream, whatever it came as: a `docker save` tar, the
// same gzip'd, an OCI layout tar. The one opener for the parser and the file viewer alike. It
// also stops at the tar's end-of-archive marker (two zero blocks), so a source that goes on
// after it (padding, a device of zeros, a misbehaving engine) is not read forever.

import { InvalidArchiveError } from '../errors.js';
import { classifyBlob, decompress } from './decompress.js';
import { peek } from './streams.js';

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
 * the source. Walks only the header chain (size fields: octal, base-256, or a pax `size` record),
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

/** Where the tar's headers are, fed chunk by chunk. */
class HeaderWalk {
  private skip = 0; // content bytes (padded to blocks) before the next header
  private header = Buffer.alloc(0); // a header block split across chunks
  private zeroBlocks = 0;
  private pax: Buffer[] | undefined; // a pax extended header's records, being collected
  private paxSize: number | undefined; // the size a pax header gave the next entry

  /** Returns the offset just after the end-of-archive marker when this chunk holds it. */
  push(chunk: Buffer): number | undefined {
    let at = 0;
    while (at < chunk.length) {
      if (this.skip > 0) {
        const step = Math.min(this.skip, chunk.length - at);
        this.pax?.push(chunk.subarray(at, at + step));
        this.skip -= step;
        at += step;
        if (this.skip === 0 && this.pax) this.endPax();
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
    if (block.every((byte) => byte === 0)) return ++this.zeroBlocks === 2;
    this.zeroBlocks = 0;
    const type = String.fromCharCode(block[156] ?? 0);
    const size = type === 'x' || this.paxSize === undefined ? entrySize(block) : this.paxSize;
    if (type !== 'x') this.paxSize = undefined;
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    // tar-stream refuses extended headers over 1 MiB; so does this walk.
    if (type === 'x' && size > 0 && size <= 1 << 20) this.pax = [];
    this.skip = padded;
    return false;
  }

  private endPax(): void {
    const records = Buffer.concat(this.pax ?? []).toString('utf8');
    this.pax = undefined;
    const size = /(?:^|\n)\d+ size=(\d+)\n/.exec(records)?.[1];
    if (size !== undefined) this.paxSize = Number(size);
  }
}

/** A header's size field: octal digits, or GNU base-256 when the top bit is set. Unreadable: 0 (tar-stream rejects the header). */
function entrySize(block: Buffer): number {
  const field = block.subarray(124, 136);
  if (((field[0] ?? 0) & 0x80) !== 0) {
    let size = (field[0] ?? 0) & 0x7f;
    for (let i = 1; i < field.length; i++) size = size * 256 + (field[i] ?? 0);
    return size;
  }
  const digits = field.toString('latin1').replace(/\0.*$/s, '').trim();
  const size = Number.parseInt(digits, 8);
  return Number.isFinite(size) ? size : 0;
}
