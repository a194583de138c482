import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { decompress } from '../../src/archive/decompress.js';

async function* once(bytes: Buffer): AsyncGenerator<Buffer> {
  yield bytes;
}

async function drain(stream: AsyncIterable<Buffer>): Promise<number> {
  let length = 0;
  for await (const chunk of stream) length += chunk.length;
  return length;
}

describe('decompress', () => {
  it('keeps an error that comes before its reader starts for the reader, not as an unhandled error', async () => {
    // A gzip stream cut short fails as soon as its bytes are in: here before anything reads it
    // (before the fix, the process died of an unhandled 'error' event on the Gunzip).
    const cut = gzipSync(randomBytes(100_000)).subarray(0, 300);
    const stream = decompress(once(cut), 'gzip');
    await sleep(20);
    await expect(drain(stream)).rejects.toThrow(/unexpected end of file/);
  });

  it('gives the bytes of a whole gzip stream, read at once or later', async () => {
    const whole = gzipSync(Buffer.alloc(100_000, 7));
    expect(await drain(decompress(once(whole), 'gzip'))).toBe(100_000);
    const later = decompress(once(whole), 'gzip');
    await sleep(20);
    expect(await drain(later)).toBe(100_000);
  });
});
