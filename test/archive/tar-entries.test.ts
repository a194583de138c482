import fc from 'fast-check';
import { extract as tarExtract } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { feed } from '../../src/archive/streams.js';
import { TarEntries, type TarEntry } from '../../src/archive/tar-entries.js';
import { tarFields } from '../../src/archive/tar-header.js';

// TarEntries reads tar streams by tar-stream's rules: checked here against tar-stream's extract
// itself on random archives (ustar and GNU headers, pax and GNU long names and link names, pax
// sizes, a pax global header, directories with a size, zero blocks inside, base-256 numbers),
// fed in random chunks, whole, cut short, or with a byte changed.

const BLOCK = 512;

interface Fields {
  name: string;
  /** The type flag's character. */
  flag: string;
  size: number;
  mode?: number;
  uid?: number;
  gid?: number;
  /** Written in base-256 when true. */
  binaryMtime?: boolean;
  mtime?: number;
  linkname?: string;
  format?: 'ustar' | 'gnu' | 'v7';
  prefix?: string;
}

function octalField(block: Buffer, offset: number, length: number, value: number): void {
  block.write(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length, 'latin1');
}

/** One header block, its checksum computed. */
function header(fields: Fields): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(fields.name, 0, 100, 'utf8');
  octalField(block, 100, 8, fields.mode ?? 0o644);
  octalField(block, 108, 8, fields.uid ?? 0);
  octalField(block, 116, 8, fields.gid ?? 0);
  octalField(block, 124, 12, fields.size);
  if (fields.binaryMtime) {
    block[136] = 0x80;
    block.writeUIntBE(fields.mtime ?? 0, 142, 6);
  } else {
    octalField(block, 136, 12, fields.mtime ?? 0);
  }
  block.write(fields.flag, 156, 1, 'latin1');
  block.write(fields.linkname ?? '', 157, 100, 'utf8');
  if (fields.format === 'gnu') block.write('ustar  \0', 257, 8, 'latin1');
  else if (fields.format !== 'v7') block.write('ustar\u000000', 257, 8, 'latin1');
  if (fields.prefix) block.write(fields.prefix, 345, 155, 'utf8');
  let sum = 8 * 32;
  for (let i = 0; i < BLOCK; i++) if (i < 148 || i >= 156) sum += block[i] as number;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
  return block;
}

const padded = (data: Buffer): Buffer => Buffer.concat([data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK)]);

function paxRecords(records: Record<string, string>): Buffer {
  let text = '';
  for (const [key, value] of Object.entries(records)) {
    const body = ` ${key}=${value}\n`;
    let length = Buffer.byteLength(body) + 1;
    while (String(length).length + Buffer.byteLength(body) !== length) length++;
    text += `${length}${body}`;
  }
  return Buffer.from(text);
}

/** An entry and what comes before it: its blocks, header offsets noted (a changed byte there must leave the size alone). */
interface Piece {
  readonly blocks: Buffer[];
}

const nameArb = fc.oneof(
  fc.constantFrom('etc/passwd', 'usr/bin/', './a/b', 'dir/.wh.x', 'ünï/ç', ''),
  fc.stringMatching(/^[a-z]{1,12}(\/[a-z]{1,12}){0,3}\/?$/),
  fc.stringMatching(/^[a-z]{90,140}$/),
);

const contentArb = fc.uint8Array({ maxLength: 1300 }).map((bytes) => Buffer.from(bytes));

const pieceArb: fc.Arbitrary<Piece> = fc.oneof(
  // An entry, with its content when its type has one.
  fc
    .record({
      name: nameArb,
      flag: fc.constantFrom('0', '0', '\0', '1', '2', '3', '5', '6', '7', 'S'),
      content: contentArb,
      mode: fc.integer({ min: 0, max: 0o7777 }),
      uid: fc.integer({ min: 0, max: 0o7777777 }),
      mtime: fc.integer({ min: 0, max: 2 ** 40 }),
      binaryMtime: fc.boolean(),
      linkname: fc.oneof(fc.constant(''), nameArb),
      format: fc.constantFrom('ustar' as const, 'gnu' as const, 'v7' as const),
      prefix: fc.oneof(fc.constant(''), fc.constantFrom('pre', 'a/b')),
      directorySize: fc.integer({ min: 0, max: 2000 }),
    })
    .map((e): Piece => {
      const directory = e.flag === '5';
      const mtime = e.binaryMtime ? e.mtime : e.mtime % 0o77777777777;
      const fields: Fields = { ...e, mtime, size: directory ? e.directorySize : e.content.length, gid: e.uid >> 3 };
      return { blocks: [header(fields), ...(directory ? [] : [padded(e.content)])] };
    }),
  // A pax header: a path, a link path and a size that override the next header's.
  fc
    .record({ path: fc.option(nameArb), linkpath: fc.option(nameArb), global: fc.boolean() })
    .map(({ path, linkpath, global }): Piece => {
      const records = paxRecords({ ...(path === null ? {} : { path }), ...(linkpath === null ? {} : { linkpath }) });
      if (records.length === 0) return { blocks: [] };
      return { blocks: [header({ name: 'PaxHeader', flag: global ? 'g' : 'x', size: records.length }), padded(records)] };
    }),
  // A pax size: the next entry's content is this long, whatever its header says.
  contentArb.map((content): Piece => {
    const records = paxRecords({ size: String(content.length) });
    return { blocks: [header({ name: 'PaxHeader', flag: 'x', size: records.length }), padded(records), header({ name: 'sized', flag: '0', size: 7 }), padded(content)] };
  }),
  // GNU long name and long link name headers.
  fc.record({ name: nameArb, link: fc.boolean() }).map(({ name, link }): Piece => {
    const data = Buffer.from(`${name}\0`);
    return { blocks: [header({ name: '././@LongLink', flag: link ? 'K' : 'L', size: data.length, format: 'gnu' }), padded(data)] };
  }),
  // A zero block inside the archive: read past.
  fc.constant<Piece>({ blocks: [Buffer.alloc(BLOCK)] }),
);

const archiveArb = fc.array(pieceArb, { maxLength: 12 }).map((pieces) => {
  const blocks = pieces.flatMap((piece) => piece.blocks);
  // Where headers are: a changed byte in a size field could make tar-stream wait forever (a
  // base-256 size it reads as null), which is not a behaviour to match.
  const sizeFields: [number, number][] = [];
  let at = 0;
  for (const block of blocks) {
    if (block.length === BLOCK) sizeFields.push([at + 124, at + 136]);
    at += block.length;
  }
  return { bytes: Buffer.concat([...blocks, Buffer.alloc(2 * BLOCK)]), sizeFields };
});

/** What a reader saw: each entry whose content ended, with the fields the layer parse reads, and the error it stopped with. */
interface Seen {
  entries: { name: string; type: string | null; size: number; linkname: string | null; mode: unknown; uid: unknown; gid: unknown; mtime: number; content: string }[];
  error?: string;
}

const TYPES: Record<number, string> = { 0: 'file', 1: 'link', 2: 'symlink', 3: 'character-device', 4: 'block-device', 5: 'directory', 6: 'fifo', 7: 'contiguous-file' };

/** tar-stream's extract, the reference. */
async function byTarStream(chunks: Buffer[]): Promise<Seen> {
  const extract = tarExtract();
  const seen: Seen = { entries: [] };
  async function* source(): AsyncGenerator<Buffer> {
    yield* chunks;
  }
  const feeding = feed(source(), extract);
  try {
    for await (const stream of extract) {
      const h = stream.header;
      const parts: Buffer[] = [];
      // A directory's stream never ends when its size field is not 0: its content is none, as the layer parse took it.
      if (h.type === 'directory') stream.resume();
      else for await (const part of stream as AsyncIterable<Buffer>) parts.push(part);
      seen.entries.push({ name: h.name, type: h.type, size: h.size as number, linkname: h.linkname ?? null, mode: h.mode, uid: h.uid, gid: h.gid, mtime: Math.floor((h.mtime as Date).getTime() / 1000), content: Buffer.concat(parts).toString('hex') });
    }
    await feeding;
  } catch (error) {
    seen.error = (error as Error).message;
  }
  return seen;
}

function byTarEntries(chunks: Buffer[]): Seen {
  const seen: Seen = { entries: [] };
  let current: TarEntry | undefined;
  let parts: Buffer[] = [];
  const tar = new TarEntries({
    entry(entry) {
      current = entry;
      parts = [];
      return true;
    },
    data: (piece) => void parts.push(Buffer.from(piece)),
    contentEnd() {
      const entry = current as TarEntry;
      const { mode, uid, gid, mtime } = tarFields(entry.block);
      seen.entries.push({ name: entry.name, type: TYPES[entry.type] ?? null, size: entry.size, linkname: entry.linkname, mode, uid, gid, mtime, content: Buffer.concat(parts).toString('hex') });
    },
  });
  try {
    for (const chunk of chunks) tar.push(chunk);
    tar.end();
  } catch (error) {
    seen.error = (error as Error).message;
  }
  return seen;
}

/** Cuts bytes at the given offsets. */
function chunked(bytes: Buffer, cuts: number[]): Buffer[] {
  const offsets = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const offset of [...offsets, bytes.length]) {
    if (offset > from) chunks.push(bytes.subarray(from, offset));
    from = offset;
  }
  return chunks;
}

// tar-stream reports a stream cut short from the entry's content stream or from its own end.
const truncation = (seen: Seen): Seen => (seen.error && /unexpected end|premature close/i.test(seen.error) ? { ...seen, error: 'truncated' } : seen);

describe('TarEntries', () => {
  it('reads what tar-stream reads, in any chunks, whole, cut short or with a byte changed', async () => {
    const damageArb = fc.oneof(
      fc.constant({ kind: 'none' as const }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
    );
    let errors = 0;
    await fc.assert(
      fc.asyncProperty(archiveArb, fc.array(fc.nat(), { maxLength: 8 }), damageArb, async ({ bytes, sizeFields }, cuts, damage) => {
        let input = Buffer.from(bytes);
        if (damage.kind === 'cut') input = input.subarray(0, damage.at % input.length);
        if (damage.kind === 'byte') {
          const at = damage.at % input.length;
          if (sizeFields.some(([from, to]) => at >= from && at < to)) return;
          input[at] = damage.value;
        }
        const chunks = chunked(input, cuts);
        const expected = truncation(await byTarStream(chunks));
        if (expected.error) errors++;
        expect(truncation(byTarEntries(chunks))).toEqual(expected);
      }),
      { numRuns: 400 },
    );
    // The damaged archives did reach the error paths.
    expect(errors).toBeGreaterThan(40);
  }, 120_000);

  it('stops at the end marker when asked, and says where it ends', () => {
    const file = Buffer.concat([header({ name: 'a', flag: '0', size: 3 }), padded(Buffer.from('abc'))]);
    const archive = Buffer.concat([file, Buffer.alloc(2 * BLOCK), Buffer.from('trailing')]);
    const walk = new TarEntries({ entry: () => false }, true);
    expect(walk.push(archive.subarray(0, 700))).toBeUndefined();
    expect(walk.push(archive.subarray(700))).toBe(file.length + 2 * BLOCK - 700);
  });

  it('skips what a lenient walker is told to skip past a header tar-stream refuses', () => {
    const bad = header({ name: 'bad', flag: '0', size: 3 });
    bad[0] = 'c'.charCodeAt(0); // the checksum no longer holds
    const good = header({ name: 'good', flag: '0', size: 0 });
    const names: string[] = [];
    const walk = new TarEntries({ entry: (entry) => {
        names.push(entry.name);
        return false;
      }, refused: () => BLOCK }, true);
    walk.push(Buffer.concat([bad, padded(Buffer.from('abc')), good, Buffer.alloc(2 * BLOCK)]));
    expect(names).toEqual(['good']);
    expect(() => new TarEntries({ entry: () => false }).push(bad)).toThrow('Invalid tar header. Maybe the tar is corrupted or it needs to be gunzipped?');
  });
});
