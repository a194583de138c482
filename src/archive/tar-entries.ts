// A tar stream's entries, chunk by chunk, by tar-stream's rules (tar-header.ts): what the layer
// parse reads and what the outer archive's end-marker watch walks. Synchronous and push-fed: a
// chunk is walked where it lies, content handed on as views of it, with no stream object, listener
// or promise per entry (tar-stream's extract spent about three quarters of a 200,000-entry
// layer's parse on those and on decoding fields nothing reads).

import { decodeHeader, isNameHeader, LongNames, paddedSize, refusal, TAR_BLOCK, text, TYPE, type TarHeader } from './tar-header.js';

/** tar-stream refuses longer pax and GNU name headers. */
const MAX_NAME_HEADER = 4 * 1024 * 1024;

/** An entry's header, long names applied, with the fields the layer parse reads. */
export interface TarEntry extends TarHeader {
  /** The link target field, or the long names' (null when the field is empty, as tar-stream has it). */
  readonly linkname: string | null;
  /** The header block, for its other fields (tarFields): valid during the entry() call only (a block split across chunks is reassembled in a buffer the next one reuses). */
  readonly block: Buffer;
}

export interface TarVisitor {
  /** An entry; true to be given its content (data, then contentEnd). A throw stops the walk. */
  entry(entry: TarEntry): boolean;
  /** A piece of its content: a view of the chunk pushed. */
  data?(piece: Buffer): void;
  contentEnd?(): void;
  /**
   * A header tar-stream refuses (bad checksum or format, a size it cannot read, a name header over
   * 4 MiB): the content bytes to skip and go on. Absent, the walk throws tar-stream's error.
   */
  refused?(block: Buffer): number;
}

const enum State {
  Header,
  Content,
  NameHeader,
  Skip,
}

export class TarEntries {
  private state = State.Header;
  /** Bytes left in the current state (content, a name header's content, or bytes to skip). */
  private missing = 0;
  private readonly partial = Buffer.alloc(TAR_BLOCK);
  private partialBytes = 0;
  private zeroBlocks = 0;
  private nameType = 0;
  private nameParts: Buffer[] = [];
  private nameSize = 0;
  /** The padding after the current content. */
  private padding = 0;
  private readonly names = new LongNames();

  constructor(
    private readonly visitor: TarVisitor,
    /** Stop at two zero blocks in a row (the outer archive); else read past them, as tar-stream does in a layer. */
    private readonly endMarker = false,
  ) {}

  /** Walks a chunk; with endMarker, the offset just after the end-of-archive marker when the chunk holds it. */
  push(chunk: Buffer): number | undefined {
    let at = 0;
    while (at < chunk.length) {
      if (this.missing > 0) {
        const step = Math.min(this.missing, chunk.length - at);
        if (this.state === State.Content) this.visitor.data?.(chunk.subarray(at, at + step));
        else if (this.state === State.NameHeader) this.nameParts.push(chunk.subarray(at, at + step));
        this.missing -= step;
        at += step;
        if (this.missing === 0) this.ended();
        continue;
      }
      let block: Buffer;
      if (this.partialBytes === 0 && chunk.length - at >= TAR_BLOCK) {
        block = chunk.subarray(at, at + TAR_BLOCK);
        at += TAR_BLOCK;
      } else {
        const take = Math.min(TAR_BLOCK - this.partialBytes, chunk.length - at);
        chunk.copy(this.partial, this.partialBytes, at, at + take);
        this.partialBytes += take;
        at += take;
        if (this.partialBytes < TAR_BLOCK) break;
        this.partialBytes = 0;
        block = this.partial;
      }
      if (this.header(block)) return at;
    }
    return undefined;
  }

  /** The stream ended: throws, as tar-stream does, when it ends inside a header, an entry or its padding. */
  end(): void {
    if (this.missing > 0 || this.partialBytes > 0) throw new Error('Unexpected end of data');
  }

  /** The current state's bytes are all here. */
  private ended(): void {
    if (this.state === State.Content) {
      this.visitor.contentEnd?.();
      this.skip(this.padding);
    } else if (this.state === State.NameHeader) {
      const data = this.nameParts.length === 1 ? (this.nameParts[0] as Buffer) : Buffer.concat(this.nameParts);
      this.nameParts = [];
      this.names.take(this.nameType, data.subarray(0, this.nameSize));
      this.skip(this.padding);
    } else {
      this.state = State.Header;
    }
  }

  private skip(bytes: number): void {
    this.state = bytes > 0 ? State.Skip : State.Header;
    this.missing = bytes;
  }

  /** True at the end marker (endMarker only). */
  private header(block: Buffer): boolean {
    const header = decodeHeader(block);
    if (header === 'zero') return this.endMarker && ++this.zeroBlocks === 2;
    this.zeroBlocks = 0;
    if (!header) return this.refuse(block, refusal(block));
    if (isNameHeader(header.type)) {
      if (header.size > MAX_NAME_HEADER) return this.refuse(block, 'Header exceeds max size');
      // tar-stream never decodes an empty one (HeaderWalk, its watcher, skipped it too).
      if (header.size === 0) return false;
      this.nameType = header.type;
      this.nameSize = header.size;
      this.padding = paddedSize(header.size) - header.size;
      this.state = State.NameHeader;
      this.missing = header.size;
      return false;
    }
    const linkname = block[157] === 0 ? null : text(block, 157, 100);
    const named = this.names.apply(header, linkname);
    if (!named) return this.refuse(block, 'Invalid header');
    const entry: TarEntry = { name: named.name, type: header.type, size: named.size, linkname: named.linkname, block };
    const wanted = this.visitor.entry(entry);
    // tar-stream gives a directory no content, whatever its size field says.
    if (entry.type === TYPE.directory || entry.size === 0) {
      if (wanted) this.visitor.contentEnd?.();
      return false;
    }
    if (wanted) {
      this.state = State.Content;
      this.missing = entry.size;
      this.padding = paddedSize(entry.size) - entry.size;
    } else {
      this.skip(paddedSize(entry.size));
    }
    return false;
  }

  private refuse(block: Buffer, message: string): boolean {
    if (!this.visitor.refused) throw new Error(message);
    this.skip(this.visitor.refused(block));
    return false;
  }
}
