// A registry image as the byte stream every source gives the parser: an OCI image layout tar
// (oci-layout, index.json, the manifest, the config, then each layer blob once), built as the
// blobs download. The next blobs download while one streams into the parser, each reading at most
// READ_AHEAD bytes ahead, and every blob is checked against its digest and size as it passes.

import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { pack as tarPack } from 'tar-stream';
import { CorruptLayerError, LayerscopeError } from '../errors.js';
import { RegistryUnavailableError } from '../registry-errors.js';
import { blobPath } from '../archive/choose-image.js';

export interface BlobDescriptor {
  readonly mediaType?: string;
  readonly digest: string;
  readonly size?: number;
}

export interface LayoutDocuments {
  readonly index: Buffer;
  readonly manifest: Buffer;
  readonly manifestDigest: string;
  readonly config: Buffer;
  readonly configDigest: string;
  /** Each distinct layer once, in manifest order. */
  readonly layers: readonly BlobDescriptor[];
}

/** How many blobs download at once: the one being parsed and the next ones. */
const PARALLEL = 3;
const READ_AHEAD = 8 << 20;

export function registryArchive(
  documents: LayoutDocuments,
  host: string,
  fetchBlob: (digest: string) => Promise<{ readonly body: AsyncIterable<Buffer> }>,
  close: () => Promise<void>,
): AsyncIterable<Buffer> {
  const pack = tarPack();
  const started: (ReadAhead | undefined)[] = [];
  const downloads: (Promise<ReadAhead> | undefined)[] = [];
  const start = (index: number): void => {
    const layer = documents.layers[index];
    if (!layer || downloads[index]) return;
    const download = fetchBlob(layer.digest).then((response) => (started[index] = readAhead(response.body, READ_AHEAD)));
    download.catch(() => {}); // awaited in its turn; until then a failure must not count as unhandled
    downloads[index] = download;
  };
  void (async () => {
    try {
      pack.entry({ name: 'oci-layout' }, '{"imageLayoutVersion":"1.0.0"}');
      pack.entry({ name: 'index.json' }, documents.index);
      pack.entry({ name: blobPath(documents.manifestDigest) }, documents.manifest);
      pack.entry({ name: blobPath(documents.configDigest) }, documents.config);
      for (const [index, layer] of documents.layers.entries()) {
        for (let ahead = index; ahead < index + PARALLEL; ahead++) start(ahead);
        const blob = await (downloads[index] as Promise<ReadAhead>);
        if (layer.size === undefined || !Number.isSafeInteger(layer.size) || layer.size < 0) {
          throw new CorruptLayerError(blobPath(layer.digest), 'the manifest gives it no size');
        }
        await pipeline(verified(blob, layer, host), pack.entry({ name: blobPath(layer.digest), size: layer.size }));
        started[index] = undefined;
      }
      pack.finalize();
    } catch (error) {
      pack.destroy(error instanceof Error ? error : new Error(String(error)));
    } finally {
      for (const blob of started) blob?.stop();
      await close().catch(() => {});
    }
  })();
  return pack as AsyncIterable<Buffer>;
}

/** The blob's bytes, failing at the end when their count or digest is not what the manifest says. */
async function* verified(blob: AsyncIterable<Buffer>, layer: BlobDescriptor, host: string): AsyncGenerator<Buffer> {
  const [algorithm = 'sha256'] = layer.digest.split(':');
  const hash = createHash(algorithm);
  const expected = layer.size ?? 0;
  let length = 0;
  try {
    for await (const chunk of blob) {
      length += chunk.length;
      if (length > expected) throw new CorruptLayerError(blobPath(layer.digest), `the registry sent more than the ${expected} bytes its manifest gives`);
      hash.update(chunk);
      yield chunk;
    }
  } catch (error) {
    if (error instanceof LayerscopeError) throw error;
    const code = String((error as { code?: unknown }).code ?? (error instanceof Error ? error.message : error));
    throw new RegistryUnavailableError(host, `the download of ${layer.digest} failed after ${length} bytes (${code})`, 'check the network and try again');
  }
  if (length !== expected) throw new CorruptLayerError(blobPath(layer.digest), `the registry sent ${length} of its ${expected} bytes`);
  const actual = `${algorithm}:${hash.digest('hex')}`;
  if (actual !== layer.digest) throw new CorruptLayerError(blobPath(layer.digest), `the registry sent bytes that hash to ${actual}`);
}

interface ReadAhead extends AsyncIterable<Buffer> {
  /** Stops reading the source (and lets it close its connection). */
  stop(): void;
}

/** Reads `source` ahead of its consumer, at most `limit` bytes, so a download goes on while earlier blobs are parsed. */
function readAhead(source: AsyncIterable<Buffer>, limit: number): ReadAhead {
  const queue: Buffer[] = [];
  let queued = 0;
  let finished = false;
  let stopped = false;
  let failure: unknown;
  let wakeReader: (() => void) | undefined;
  let wakeWriter: (() => void) | undefined;
  const wake = (which: 'reader' | 'writer'): void => {
    const resolve = which === 'reader' ? wakeReader : wakeWriter;
    if (which === 'reader') wakeReader = undefined;
    else wakeWriter = undefined;
    resolve?.();
  };
  void (async () => {
    try {
      for await (const chunk of source) {
        queue.push(chunk);
        queued += chunk.length;
        wake('reader');
        while (queued >= limit && !stopped) await new Promise<void>((resolve) => (wakeWriter = resolve));
        if (stopped) break;
      }
    } catch (error) {
      failure = error;
    } finally {
      finished = true;
      wake('reader');
    }
  })();
  return {
    stop() {
      stopped = true;
      (source as { destroy?: () => void }).destroy?.();
      wake('writer');
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const chunk = queue.shift();
        if (chunk) {
          queued -= chunk.length;
          wake('writer');
          yield chunk;
          continue;
        }
        if (failure !== undefined) throw failure;
        if (finished) return;
        await new Promise<void>((resolve) => (wakeReader = resolve));
      }
    },
  };
}
