// Reads layer blobs on a worker thread. Decompressing, hashing every byte twice (diff ID and
// file digests) and parsing tar headers is most of the CPU work; done on the main thread it
// stalls the engine's export stream, done here it overlaps with it. Bounded: at most
// MAX_IN_FLIGHT bytes wait for the worker, so memory stays flat.
//
// An uncompressed blob's bytes are its tar, so its diff ID (sha256, the largest single cost)
// is hashed here, on the main thread, as the bytes pass on their way to the worker: the two
// threads then share the work instead of the worker doing it all while this one waits.

import type { Hash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { Compression, LayerContents } from '../model/types.js';
import type { FromWorker, ToWorker } from './layer-worker.js';
import { replayBatch, type EntryBatch } from './entry-batch.js';
import { collectLayer, diffIdHash, diffIdOf, type LayerEnd, type ReadLayerOptions } from './read-layer.js';
import { createReclaimer } from '../collector.js';

export type LayerReader = (blob: AsyncIterable<Buffer>, compression: Compression, options: ReadLayerOptions) => Promise<LayerContents>;

const BATCH_BYTES = 1 << 20;
const MAX_IN_FLIGHT = 8 << 20;

interface Job {
  acked: number;
  /** The layer's entries as their batches arrive. */
  readonly collector: ReturnType<typeof collectLayer>;
  readonly compression: Compression;
  /** The diff ID's hash, when this thread computes it (an uncompressed blob). */
  readonly diffHash: Hash | undefined;
  /** Its digest, once the last byte was sent. */
  diffId?: string;
  settled: boolean;
  wake?: (() => void) | undefined;
  resolve: (contents: LayerContents) => void;
  reject: (error: Error) => void;
}

export interface WorkerLayerReader {
  readonly read: LayerReader;
  close(): Promise<void>;
}

/** A batch into its job's collector; a guard that stops it (the heap) ends the job, not the process. */
function replay(jobs: Map<number, Job>, id: number, batch: EntryBatch): void {
  const job = jobs.get(id);
  if (!job) return;
  try {
    replayBatch(batch, job.collector);
  } catch (error) {
    job.settled = true;
    jobs.delete(id);
    job.reject(error as Error);
  }
}

export function createWorkerLayerReader(): WorkerLayerReader {
  const jobs = new Map<number, Job>();
  // Started now, not with the first layer: a thread takes about 200 ms to load its modules and
  // take its first bytes, while the archive's documents and reading order are read here.
  let worker: Worker | undefined = startWorker(jobs);
  let nextId = 0;
  const reclaim = createReclaimer();

  const read: LayerReader = async (blob, compression, options) => {
    const thread = (worker ??= startWorker(jobs));
    const id = nextId++;
    let job!: Job;
    const result = new Promise<LayerContents>((resolve, reject) => {
      const diffHash = options.verify && compression === 'none' ? diffIdHash() : undefined;
      job = { acked: 0, collector: collectLayer(options.heap), compression, diffHash, settled: false, resolve, reject };
    });
    result.catch(() => {}); // observed below; keeps an early failure from counting as unhandled
    jobs.set(id, job);
    const post = (message: ToWorker, transfer: ArrayBuffer[] = []): void => thread.postMessage(message, transfer);
    post({ type: 'start', id, compression, hashContent: options.hashContent, verify: options.verify && !job.diffHash, ...(options.maxEntries === undefined ? {} : { maxEntries: options.maxEntries }) });
    try {
      await sendBlob(blob, job, (data) => post({ type: 'chunk', id, data }, [data.buffer as ArrayBuffer]), (bytes) => {
        options.onBytes?.(bytes);
        reclaim(bytes);
      });
      if (job.diffHash) job.diffId = diffIdOf(job.diffHash);
    } finally {
      post({ type: 'end', id });
    }
    return result;
  };

  return {
    read,
    async close() {
      await worker?.terminate();
      worker = undefined;
    },
  };
}

/** The worker thread, settling `jobs` from its messages (and all of them if it fails). */
function startWorker(jobs: Map<number, Job>): Worker {
  const created = new Worker(new URL('./layer-worker.js', import.meta.url));
  created.on('message', (message: FromWorker) => {
    const job = jobs.get(message.id);
    if (!job) return;
    if (message.type === 'ack') job.acked += message.bytes;
    else if (message.type === 'entries') replay(jobs, message.id, message.batch);
    else {
      job.settled = true;
      jobs.delete(message.id);
      if (message.type === 'done') job.resolve(job.collector.contents(withDiffId(message.end, job.diffId), job.compression));
      else job.reject(Object.assign(new Error(message.message), message.code === undefined ? {} : { code: message.code }));
    }
    job.wake?.();
  });
  created.on('error', (error) => {
    for (const job of jobs.values()) {
      job.settled = true;
      job.reject(error);
      job.wake?.();
    }
    jobs.clear();
  });
  return created;
}

/** The worker's account of a layer's end, with the diff ID this thread hashed. */
function withDiffId(end: LayerEnd, diffId: string | undefined): LayerEnd {
  return diffId === undefined ? end : { ...end, diffId };
}

/**
 * Sends a blob to the worker in batches of BATCH_BYTES, waiting while more than MAX_IN_FLIGHT
 * bytes are unacknowledged; once the job settles (the worker gave up), the rest is consumed unread.
 */
async function sendBlob(blob: AsyncIterable<Buffer>, job: Job, send: (data: Uint8Array) => void, onBytes: (bytes: number) => void): Promise<void> {
  let sent = 0;
  let batch: Buffer[] = [];
  let batchBytes = 0;
  const flush = (): void => {
    if (batchBytes === 0 || job.settled) return;
    send(owned(batch.length === 1 ? (batch[0] as Buffer) : Buffer.concat(batch, batchBytes)));
    sent += batchBytes;
    batch = [];
    batchBytes = 0;
  };
  for await (const chunk of blob) {
    if (job.settled) continue;
    job.diffHash?.update(chunk);
    batch.push(chunk);
    batchBytes += chunk.length;
    onBytes(chunk.length);
    if (batchBytes >= BATCH_BYTES) flush();
    while (!job.settled && sent - job.acked > MAX_IN_FLIGHT) {
      await new Promise<void>((resolve) => (job.wake = resolve));
      job.wake = undefined;
    }
  }
  flush();
}

/** A copy the worker can own: a view into a shared or pooled buffer must not be transferred. */
function owned(buffer: Buffer): Uint8Array {
  if (buffer.byteOffset === 0 && buffer.buffer.byteLength === buffer.byteLength && !(buffer.buffer instanceof SharedArrayBuffer)) {
    return new Uint8Array(buffer.buffer, 0, buffer.byteLength);
  }
  return new Uint8Array(buffer);
}
