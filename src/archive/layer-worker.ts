// Worker thread entry: parses layer blobs sent by worker-layer-reader.ts with the same readLayer
// the main thread would use, so hashing and decompression run on a second core while the main
// thread keeps the engine's export stream flowing.

import { parentPort } from 'node:worker_threads';
import type { Compression } from '../model/types.js';
import { batchingSink, type EntryBatch } from './entry-batch.js';
import { parseLayer, type LayerEnd } from './read-layer.js';
import { createReclaimer } from '../collector.js';

/** Entries per message to the main thread. */
const BATCH_ENTRIES = 4096;

export type ToWorker =
  | { readonly type: 'start'; readonly id: number; readonly compression: Compression; readonly hashContent: boolean; readonly verify: boolean; readonly maxEntries?: number }
  | { readonly type: 'chunk'; readonly id: number; readonly data: Uint8Array }
  | { readonly type: 'end'; readonly id: number };

export type FromWorker =
  | { readonly type: 'ack'; readonly id: number; readonly bytes: number }
  | { readonly type: 'entries'; readonly id: number; readonly batch: EntryBatch }
  | { readonly type: 'done'; readonly id: number; readonly end: LayerEnd }
  | { readonly type: 'error'; readonly id: number; readonly message: string; readonly code?: string };

/** Chunks arrive by message; readLayer pulls them as an async iterable. */
class ChunkQueue {
  private readonly chunks: Buffer[] = [];
  private ended = false;
  private wake: (() => void) | undefined;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.wake?.();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  async *drain(onTaken: (bytes: number) => void): AsyncGenerator<Buffer> {
    for (;;) {
      const chunk = this.chunks.shift();
      if (chunk) {
        yield chunk;
        onTaken(chunk.length);
      } else if (this.ended) {
        return;
      } else {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
      }
    }
  }
}

const port = parentPort;
if (!port) throw new Error('layer-worker.js runs as a worker thread');
const jobs = new Map<number, ChunkQueue>();
const reclaim = createReclaimer();
const send = (message: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

port.on('message', (message: ToWorker) => {
  if (message.type === 'start') {
    const queue = new ChunkQueue();
    jobs.set(message.id, queue);
    const chunks = queue.drain((bytes) => {
      send({ type: 'ack', id: message.id, bytes });
      reclaim(bytes);
    });
    const sink = batchingSink(BATCH_ENTRIES, (batch, transfer) => send({ type: 'entries', id: message.id, batch }, transfer));
    const options = { hashContent: message.hashContent, verify: message.verify, ...(message.maxEntries === undefined ? {} : { maxEntries: message.maxEntries }) };
    parseLayer(chunks, message.compression, options, sink)
      .then((end) => {
        sink.flush();
        send({ type: 'done', id: message.id, end });
      })
      .catch((error: unknown) => {
        const code = (error as { code?: unknown }).code;
        send({ type: 'error', id: message.id, message: error instanceof Error ? error.message : String(error), ...(typeof code === 'string' ? { code } : {}) });
      })
      .finally(() => jobs.delete(message.id));
  } else if (message.type === 'chunk') {
    jobs.get(message.id)?.push(Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength));
  } else {
    jobs.get(message.id)?.end();
  }
});
