import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { abortable, peek } from '../../src/archive/streams.js';

/** A source that records whether its reader closed it (as an engine export's response is closed). */
function recordingSource(chunks: readonly string[]): { readonly source: AsyncIterable<Buffer>; closed: () => boolean } {
  let closed = false;
  async function* source(): AsyncGenerator<Buffer> {
    try {
      for (const chunk of chunks) yield Buffer.from(chunk);
    } finally {
      closed = true;
    }
  }
  return { source: source(), closed: () => closed };
}

describe('peek', () => {
  it('gives the head and then every byte of the source', async () => {
    const { source } = recordingSource(['ab', 'cd', 'ef']);
    const { head, all } = await peek(source, 3);
    const rest: Buffer[] = [];
    for await (const chunk of all) rest.push(chunk);
    expect(head.toString()).toBe('abcd');
    expect(Buffer.concat(rest).toString()).toBe('abcdef');
  });

  it('closes the source when its reader stops early, so a half-read export frees its socket', async () => {
    const recording = recordingSource(['ab', 'cd', 'ef', 'gh']);
    const { all } = await peek(recording.source, 1);
    for await (const chunk of all) if (chunk.toString() === 'cd') break;
    expect(recording.closed()).toBe(true);
  });
});

describe('abortable', () => {
  it('passes every chunk of the source, then ends', async () => {
    const read: string[] = [];
    for await (const chunk of abortable(recordingSource(['ab', 'cd']).source, new AbortController().signal)) read.push(chunk.toString());
    expect(read).toEqual(['ab', 'cd']);
  });

  it('stops waiting for a chunk that never comes when the signal aborts, with its reason', async () => {
    const stop = new AbortController();
    const silent: AsyncIterable<Buffer> = { [Symbol.asyncIterator]: () => ({ next: () => new Promise(() => {}) }) };
    const reading = (async () => {
      for await (const _ of abortable(silent, stop.signal));
    })();
    stop.abort(new Error('another read failed'));
    await expect(reading).rejects.toThrow('another read failed');
  });

  it('keeps none of the chunks it passed on', async () => {
    // 40 chunks of 1 MiB through it, each dropped once read: at the last, after a full collection,
    // none of the others is reachable (a race against one promise for the whole read kept them all).
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const refs: WeakRef<Buffer>[] = [];
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let i = 0; i < 40; i++) {
        const chunk = Buffer.alloc(1 << 20, i);
        refs.push(new WeakRef(chunk));
        yield chunk;
      }
    }
    let alive = -1;
    for await (const chunk of abortable(chunks(), new AbortController().signal)) {
      // A turn of the event loop per chunk, as a reader doing I/O has: a WeakRef's target is held until its turn ends.
      await new Promise((resolve) => setImmediate(resolve));
      if (chunk[0] !== 39) continue;
      // The read still going, at its last chunk: what of the 39 before it is still held?
      gc();
      alive = refs.slice(0, 39).filter((ref) => ref.deref() !== undefined).length;
    }
    expect(alive).toBe(0);
  });
});
