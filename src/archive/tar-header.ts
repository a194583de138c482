// A tar header block read by tar-stream's rules (the library that reads the outer archive), for
// the code that walks tars without it: the layer parse and the outer archive's end-marker watch
// (tar-entries.ts), and the seeking walks of archive files and layer blobs
// (src/sources/tar-walk.ts). Numbers are octal (spaces and
// NULs around them) or base-256; names take the ustar prefix only under ustar's magic; pax
// records are `len key=value\n`.

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
  if (sum !== tarNumber(block.subarray(148, 156)) || !(isUstar(block) || isGnu(block))) return undefined;
  const size = tarNumber(block.subarray(124, 136));
  if (!Number.isSafeInteger(size) || size < 0) return undefined;
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

/** A numeric field: octal (spaces and NULs around it), or base-256 when its top bit is set (negative: NaN). */
export function tarNumber(field: Buffer): number {
  if (((field[0] as number) & 0x80) !== 0) {
    if (field[0] !== 0x80) return Number.NaN;
    let value = 0;
    for (let i = 1; i < field.length; i++) value = value * 256 + (field[i] as number);
    return value;
  }
  let at = 0;
  while (at < field.length && field[at] === 32) at++;
  let stop = field.indexOf(32, at);
  if (stop < 0) stop = field.length;
  while (at < stop && field[at] === 0) at++;
  if (at === stop) return 0;
  return Number.parseInt(field.toString('latin1', at, stop), 8);
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
function text(block: Buffer, start: number, length: number): string {
  const end = block.indexOf(0, start);
  return block.toString('utf8', start, end < 0 || end > start + length ? start + length : end);
}
