// A tar header block read by tar-stream's rules (the library that reads the outer archive), for
// the code that walks tars without it: the layer parse and the outer archive's end-marker watch
// (tar-entries.ts), and the seeking walks of archive files and layer blobs (src/sources/tar-walk.ts).
// Numbers are octal (spaces and NULs around them) or base-256; names take the ustar prefix only
// under ustar's magic; pax records are `len key=value\n`.

export const TAR_BLOCK = 512;

/** Type flags as tar-stream numbers them (the flag's character code less '0'). */
export const TYPE = { file: 0, hardlink: 1, symlink: 2, contiguousFile: 7, directory: 5, pax: 72, paxGlobal: 55, longLink: 27 } as const;
const LONG_PATH: ReadonlySet<number> = new Set([28, 30]); // 'L', 'N'

export interface TarHeader {
  readonly name: string;
  readonly type: number;
  /** The size field; a pax `size` record before it overrides it. */
  readonly size: number;
}

/**
 * The header in a 512-byte block: 'zero' for an all-zero block (tar-stream reads past it),
 * undefined for one tar-stream refuses (a bad checksum, an unknown format, a negative size).
 */
export function decodeHeader(block: Buffer): TarHeader | 'zero' | undefined {
  const sum = checksum(block);
  if (sum === 8 * 32) return 'zero';
  if (sum !== tarNumber(block, 148, 8) || !(isUstar(block) || isGnu(block))) return undefined;
  const size = tarNumber(block, 124, 12);
  if (size === null || !Number.isSafeInteger(size) || size < 0) return undefined;
  let name = text(block, 0, 100);
  if (isUstar(block) && block[345] !== 0) name = `${text(block, 345, 155)}/${name}`;
  const flag = block[156] === 0 ? 0 : (block[156] as number) - 48;
  // Old tars mark a directory with a trailing slash; tar-stream 3 reads the type before that rule
  // and so never applies it: such an entry is a file, content and all.
  return { name, type: flag, size };
}

/** A header whose content names the next entry (pax, GNU long names) rather than being one. */
export function isNameHeader(type: number): boolean {
  return type === TYPE.pax || type === TYPE.paxGlobal || type === TYPE.longLink || LONG_PATH.has(type);
}

/** tar-stream's long-name state: what pax and GNU headers say about the next entry. */
export class LongNames {
  private long: string | undefined;
  private longLink: string | undefined;
  private pax: Record<string, string> | undefined;
  private global: Record<string, string> | undefined;

  /** Takes a name header's content. */
  take(type: number, data: Buffer): void {
    if (type === TYPE.pax) this.pax = { ...this.global, ...decodePax(data) };
    else if (type === TYPE.paxGlobal) this.global = decodePax(data);
    else if (type === TYPE.longLink) this.longLink = text(data, 0, data.length);
    else this.long = text(data, 0, data.length);
  }

  /**
   * The entry as the headers before it rename, relink and resize it (undefined: a size tar-stream
   * refuses). As tar-stream's, an empty long name or pax value changes nothing.
   */
  apply(header: TarHeader, linkname: string | null = null): (TarHeader & { readonly linkname: string | null }) | undefined {
    let { name, size } = header;
    if (this.long) name = this.long;
    if (this.longLink) linkname = this.longLink;
    if (this.pax?.path) name = this.pax.path;
    if (this.pax?.linkpath) linkname = this.pax.linkpath;
    if (this.pax?.size) size = Number.parseInt(this.pax.size, 10);
    this.long = undefined;
    this.longLink = undefined;
    this.pax = undefined;
    return Number.isSafeInteger(size) && size >= 0 ? { name, type: header.type, size, linkname } : undefined;
  }
}

/**
 * The numeric field at [offset, offset + length) as tar-stream's decoder reads it: base-256 when
 * its top bit is set (0x80 positive, 0xff negative, null otherwise), else octal with spaces and
 * NULs around it (NaN when it is not octal).
 */
export function tarNumber(block: Buffer, offset: number, length: number): number | null {
  const first = block[offset] as number;
  if (first & 0x80) {
    if (first !== 0x80 && first !== 0xff) return null;
    let value = 0;
    for (let i = offset + 1; i < offset + length; i++) value = value * 256 + (first === 0x80 ? (block[i] as number) : 0xff - (block[i] as number));
    return first === 0x80 ? value : -value;
  }
  let at = offset;
  const stop = offset + length;
  while (at < stop && block[at] === 32) at++;
  let end = block.indexOf(32, at);
  if (end < 0 || end > stop) end = stop;
  while (at < end && block[at] === 0) at++;
  if (at === end) return 0;
  return Number.parseInt(block.toString('latin1', at, end), 8);
}

/** The fields of an entry's header block the layer parse keeps, as tar-stream gives them (mtime as its Date would, in seconds). */
export function tarFields(block: Buffer): { mode: number | null; uid: number | null; gid: number | null; mtime: number } {
  const seconds = tarNumber(block, 136, 12);
  // new Date(1000 * seconds).getTime() / 1000, floored: NaN beyond a Date's range.
  const ms = 1000 * (seconds ?? 0);
  const mtime = Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? Math.floor(Math.trunc(ms) / 1000) : Number.NaN;
  return { mode: tarNumber(block, 100, 8), uid: tarNumber(block, 108, 8), gid: tarNumber(block, 116, 8), mtime };
}

/** tar-stream's message for a block decodeHeader refused: for its checksum, its format, else its size. */
export function refusal(block: Buffer): string {
  if (checksum(block) !== tarNumber(block, 148, 8)) return 'Invalid tar header. Maybe the tar is corrupted or it needs to be gunzipped?';
  return isUstar(block) || isGnu(block) ? 'Invalid header' : 'Invalid tar header: unknown format.';
}

/** pax records (`len key=value\n`), as tar-stream decodes them. */
export function decodePax(data: Buffer): Record<string, string> {
  const result: Record<string, string> = {};
  let rest = data;
  while (rest.length > 0) {
    let i = 0;
    while (i < rest.length && rest[i] !== 32) i++;
    const length = Number.parseInt(rest.toString('utf8', 0, i), 10);
    if (!length) return result;
    const record = rest.toString('utf8', i + 1, length - 1);
    const equals = record.indexOf('=');
    if (equals === -1) return result;
    result[record.slice(0, equals)] = record.slice(equals + 1);
    rest = rest.subarray(length);
  }
  return result;
}

export function paddedSize(size: number): number {
  return Math.ceil(size / TAR_BLOCK) * TAR_BLOCK;
}

function checksum(block: Buffer): number {
  let sum = 8 * 32;
  for (let i = 0; i < 148; i++) sum += block[i] as number;
  for (let i = 156; i < TAR_BLOCK; i++) sum += block[i] as number;
  return sum;
}

const isUstar = (block: Buffer): boolean => block.toString('latin1', 257, 263) === 'ustar\0';
const isGnu = (block: Buffer): boolean => block.toString('latin1', 257, 265) === 'ustar  \0';

/** The text of a NUL-terminated field. */
export function text(block: Buffer, start: number, length: number): string {
  const end = block.indexOf(0, start);
  return block.toString('utf8', start, end < 0 || end > start + length ? start + length : end);
}
