// The members of a plain (not gzip'd) image archive tar, found by walking their headers and
// seeking past their contents: an image archive has a few members (a layer is one), so this costs
// milliseconds whatever the archive's size. The preview reads small documents through it and the
// file viewer seeks to one layer blob.

import type { FileHandle } from 'node:fs/promises';

export interface Member {
  /** Where the member's bytes start in the archive file. */
  readonly offset: number;
  readonly size: number;
}

const BLOCK = 512;
const MAX_MEMBERS = 100_000;
/** pax extended and global headers, GNU long names and long link names. */
const RENAMING: ReadonlySet<string> = new Set(['x', 'g', 'L', 'K']);

/** The tar's regular members by name, from their headers (seeking past contents); undefined when it is not a plain tar this can walk. */
export async function memberTable(file: FileHandle): Promise<Map<string, Member> | undefined> {
  const members = new Map<string, Member>();
  const header = Buffer.alloc(BLOCK);
  let offset = 0;
  for (let count = 0; count < MAX_MEMBERS; count++) {
    const { bytesRead } = await file.read(header, 0, BLOCK, offset);
    if (bytesRead < BLOCK || header.every((byte) => byte === 0)) break;
    if (count === 0 && header[0] === 0x1f && header[1] === 0x8b) return undefined; // gzip
    const size = octal(header.subarray(124, 136));
    if (size === undefined) return undefined;
    const type = String.fromCharCode(header[156] ?? 0);
    // A pax or GNU header may rename the next member: only tar-stream reads those as the parser did.
    if (RENAMING.has(type)) return undefined;
    const prefix = header.toString('latin1', 257, 265) === 'ustar\x0000' ? text(header.subarray(345, 500)) : '';
    const name = (prefix ? `${prefix}/` : '') + text(header.subarray(0, 100));
    if (type === '0' || type === '\0') members.set(name.replace(/^\.\//, ''), { offset: offset + BLOCK, size });
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return members;
}

function text(field: Buffer): string {
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? field.length : end).toString('utf8');
}

/** A tar numeric field: octal digits (GNU base-256 for huge sizes is not expected here). */
function octal(field: Buffer): number | undefined {
  const digits = text(field).trim();
  if (!/^[0-7]+$/.test(digits)) return undefined;
  return Number.parseInt(digits, 8);
}
