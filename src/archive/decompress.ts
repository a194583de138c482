// Layer blobs are plain tar, gzip or zstd. The kind is read from magic bytes, never from names
// or media types, and decompression streams: nothing is buffered beyond a chunk.

import { pipeline, Readable, Transform } from 'node:stream';
import * as zlib from 'node:zlib';
import type { Decompress as ZstdDecompress } from 'fzstd';
import type { Compression } from '../model/types.js';

export type BlobKind = Compression | 'json' | 'other';

const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
const TAR_BLOCK = 512;

/** Classifies a blob by its first bytes (at least 512 of them when the blob is that long). */
export function classifyBlob(head: Buffer): BlobKind {
  if (startsWith(head, GZIP_MAGIC)) return 'gzip';
  if (startsWith(head, ZSTD_MAGIC)) return 'zstd';
  if (head.length >= TAR_BLOCK && isTarHeader(head.subarray(0, TAR_BLOCK))) return 'none';
  const first = head.toString('latin1').trimStart()[0];
  if (first === '{' || first === '[') return 'json';
  return 'other';
}

/** A zero block (an empty tar's end marker) or a header whose checksum adds up. */
function isTarHeader(block: Buffer): boolean {
  if (block.every((byte) => byte === 0)) return true;
  const stored = Number.parseInt(block.toString('latin1', 148, 156).replace(/\0.*$/, '').trim(), 8);
  if (!Number.isFinite(stored)) return false;
  let sum = 0;
  for (let i = 0; i < TAR_BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
  return sum === stored;
}

/** The blob's bytes decompressed; errors (truncation, corruption) surface while iterating. */
export function decompress(source: AsyncIterable<Buffer>, compression: Compression): AsyncIterable<Buffer> {
  if (compression === 'none') return source;
  const decoder = compression === 'gzip' ? zlib.createGunzip() : zstdDecoder();
  // pipeline destroys every stream on the first error, so the error reaches the iterator. An
  // error before the iterator listens (a short blob fails as soon as it is in) is kept by the
  // stream for it: the listener here only stops it being thrown as an unhandled 'error' event.
  return pipeline(Readable.from(source, { objectMode: false }), decoder, () => {}).on('error', () => {});
}

/** Node's own zstd where it has one (22.15+), else fzstd, a streaming pure-JS decoder (loaded with the first zstd blob: most images have none). */
function zstdDecoder(): Transform {
  const native = (zlib as { createZstdDecompress?: () => Transform }).createZstdDecompress;
  if (native) return native();
  let push: (chunk: Uint8Array) => void = () => {};
  let decoder!: ZstdDecompress;
  return new Transform({
    construct(callback) {
      import('fzstd').then(({ Decompress }) => {
        decoder = new Decompress((chunk) => push(chunk));
        callback();
      }, callback);
    },
    transform(chunk: Buffer, _encoding, callback) {
      push = (out) => this.push(Buffer.from(out.buffer, out.byteOffset, out.byteLength));
      try {
        decoder.push(chunk);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback) {
      push = (out) => this.push(Buffer.from(out.buffer, out.byteOffset, out.byteLength));
      try {
        decoder.push(new Uint8Array(0), true);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}

function startsWith(buffer: Buffer, magic: readonly number[]): boolean {
  return buffer.length >= magic.length && magic.every((byte, i) => buffer[i] === byte);
}
