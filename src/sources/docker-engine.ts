// The Docker Engine as an image source: inspect and history for the layer list and progress,
// and the export stream (`GET /images/{name}/get`, what `docker save` writes) for the archive
// parser. Requests go through dockerode's modem (sockets, TLS, ssh) with an idle timeout on
// each, and every JSON answer is checked against its shape before it is used.

import { Docker } from './engine-client.js';
import type { Readable } from 'node:stream';
import { checkShape, type Parsed, type z } from '../archive/documents.js';
import { EngineExportError, EngineResponseError, EngineTimeoutError, EngineUnavailableError, LayerscopeError } from '../errors.js';
import type { Endpoint } from './endpoint.js';
import { engineError } from './engine-errors.js';
import { engineCreatedSchema, engineHistorySchema, engineInspectSchema } from './engine-documents.js';
import { DEFAULT_TIMEOUT_MS } from './engine-timeout.js';

export { engineError } from './engine-errors.js';

export { DEFAULT_TIMEOUT_MS } from './engine-timeout.js';

export interface EngineHistoryItem {
  readonly id: string;
  readonly createdBy: string;
  readonly size: number;
}

export interface EngineImage {
  readonly endpoint: Endpoint;
  readonly id: string;
  /** The image's size as the engine reports it: the expected length of the export, roughly. */
  readonly size: number;
  readonly platform: { readonly os: string; readonly architecture: string; readonly variant?: string };
  readonly diffIds: readonly string[];
  /** History, oldest step first, empty-layer steps included. */
  history(): Promise<readonly EngineHistoryItem[]>;
  /** The image archive, streamed; `signal` lets go of the engine at once, even before its first byte. */
  export(signal?: AbortSignal): AsyncIterable<Buffer>;
  /**
   * The file at `path` in the filesystem of the image the engine holds with exactly the first
   * `layers` of this image's layers (this image for all of them; for fewer, an intermediate image
   * a local build kept), as the tar the engine sends for it; undefined when it holds no such
   * image. Read through a container created from that image's ID and never started, removed once
   * the stream ends or is dropped.
   */
  fileWithLayers(layers: number, path: string): Promise<AsyncIterable<Buffer> | undefined>;
}

export interface EngineOptions {
  /** Idle timeout of every request, in milliseconds. */
  readonly timeoutMs?: number;
}

export async function openEngineImage(ref: string, endpoint: Endpoint, options: EngineOptions = {}): Promise<EngineImage> {
  const engine = engineClient(endpoint, options.timeoutMs ?? DEFAULT_TIMEOUT_MS, ref);
  const path = `/images/${escapeName(ref)}`;
  const info = await engine.json(`${path}/json`, 'image inspect', engineInspectSchema);
  const diffIds = info.RootFS?.Layers ?? [];
  const history = async (): Promise<readonly EngineHistoryItem[]> => {
    const items = await engine.json(`${path}/history`, 'image history', engineHistorySchema);
    return items.map((item) => ({ id: item.Id ?? '', createdBy: item.CreatedBy ?? '', size: item.Size ?? 0 })).reverse();
  };
  return {
    endpoint,
    id: info.Id,
    size: info.Size,
    platform: { os: info.Os, architecture: info.Architecture, ...(info.Variant ? { variant: info.Variant } : {}) },
    diffIds,
    history,
    export: (signal) => engine.stream(`${path}/get`, `the export of ${ref}`, undefined, signal),
    async fileWithLayers(layers, file) {
      const id = layers === diffIds.length ? info.Id : await imageWithLayers(engine, diffIds.slice(0, layers), await history(), info.Id);
      return id === undefined ? undefined : fileIn(engine, id, file, ref);
    },
  };
}

/** The ID of a step's image (`docker history`'s IDs: kept only by a local classic build) whose layers are exactly `layers`. */
async function imageWithLayers(engine: EngineClient, layers: readonly string[], steps: readonly EngineHistoryItem[], own: string): Promise<string | undefined> {
  const candidates = [...new Set(steps.map((step) => step.id).filter((id) => /^sha256:[0-9a-f]{64}$/.test(id) && id !== own))];
  for (const id of candidates) {
    const step = await engine.json(`/images/${id}/json`, 'image inspect', engineInspectSchema).catch(() => undefined);
    const have = step?.RootFS?.Layers ?? [];
    if (have.length === layers.length && have.every((layer, i) => layer === layers[i])) return id;
  }
  return undefined;
}

/** One file of an image's filesystem, through a container created from the image and removed once the file is read (or dropped). */
async function* fileIn(engine: EngineClient, image: string, file: string, ref: string): AsyncGenerator<Buffer> {
  const created = await engine.json('/containers/create', 'viewer container', engineCreatedSchema, VIEWER_CONTAINER(image));
  try {
    yield* engine.stream(`/containers/${created.Id}/archive?`, `the file ${file} of ${ref}`, { path: `/${file}` });
  } finally {
    await engine.remove(`/containers/${created.Id}?`, { force: true, v: true }, 'the viewer container\'s removal').catch(() => undefined);
  }
}

/**
 * The file viewer's container: from the image ID (what was read, whatever the name means now),
 * no network, a command that is never run (an image without one could not be created), and a
 * label that says what it is to anyone who lists containers meanwhile.
 */
const VIEWER_CONTAINER = (image: string): object => ({
  Image: image,
  Cmd: ['/layerscope-reads-one-file-and-never-starts-this'],
  NetworkDisabled: true,
  HostConfig: { NetworkMode: 'none' },
  Labels: { 'io.layerscope.viewer': 'created by layerscope to read one file; never started, removed at once' },
});

/** A name in a request path: the characters references use pass, anything else is escaped. */
export function escapeName(ref: string): string {
  return ref.replace(/[^A-Za-z0-9._\-/:@]/g, (char) => encodeURIComponent(char));
}

export interface EngineClient {
  /** A JSON answer, checked against its shape: to a GET, or to a POST of `body`. */
  json<S extends z.ZodTypeAny>(path: string, document: string, schema: S, body?: object): Promise<Parsed<S>>;
  /** A streamed answer; `query` for a path that ends in `?`; `signal` ends it (with the signal's reason) whenever it aborts. */
  stream(path: string, waitingFor: string, query?: object, signal?: AbortSignal): AsyncIterable<Buffer>;
  /** DELETE, with `query` (the path ends in `?`). */
  remove(path: string, query: object, what: string): Promise<void>;
}

/** What an engine's status codes mean, for docker-modem: true is an answer, a string an error. */
const STATUS = { 200: true, 201: true, 204: true, 304: true, 400: 'bad request', 404: 'no such image', 409: 'conflict', 500: 'server error' };

/** Requests to the engine, each with the idle timeout and its answer checked against its shape; `ref` names the image in errors. */
export function engineClient(endpoint: Endpoint, timeoutMs: number, ref: string): EngineClient {
  const modem = new Docker(endpoint.options).modem as {
    dial(options: object, callback: (error: unknown, data: unknown) => void): void;
  };
  const where = `${endpoint.url} (from ${endpoint.origin})`;
  /** One request; the timer runs until the answer's headers (a stream) or body (JSON) arrive. */
  const request = async (path: string, isStream: boolean, waitingFor: string, method = 'GET', options?: object, signal?: AbortSignal): Promise<unknown> => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const stop = (): void => controller.abort();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      return await new Promise((resolve, reject) => {
        modem.dial(
          { path, method, isStream, statusCodes: STATUS, abortSignal: controller.signal, ...(options ? { options } : {}) },
          (error, data) => (error ? reject(error) : resolve(data)),
        );
      });
    } catch (error) {
      signal?.throwIfAborted();
      if (controller.signal.aborted) throw new EngineTimeoutError(where, waitingFor, timeoutMs);
      throw engineError(error, endpoint, ref, true);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', stop);
    }
  };
  return {
    async json(path, document, schema, body) {
      const answer = await request(path, false, `the ${document}`, body ? 'POST' : 'GET', body);
      // The modem hands over the body as bytes when it is not JSON.
      if (Buffer.isBuffer(answer)) throw new EngineResponseError(where, document, 'it is not JSON');
      const checked = checkShape(schema, answer);
      if ('problem' in checked) throw new EngineResponseError(where, document, checked.problem);
      return checked.value;
    },
    async remove(path, query, what) {
      await request(path, false, what, 'DELETE', query);
    },
    async *stream(path, waitingFor, query, signal) {
      const response = (await request(path, true, waitingFor, 'GET', query, signal).catch((error: unknown) => {
        throw exportFailure(error, ref);
      })) as Readable;
      const chunks = response[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      // A chunk awaited when the signal aborts ends with it, not with the engine's next byte.
      const stop = (): void => void response.destroy();
      signal?.addEventListener('abort', stop, { once: true });
      try {
        for (;;) {
          const next = await idle(chunks.next(), timeoutMs, () => response.destroy());
          if (next === TIMED_OUT) throw new EngineTimeoutError(where, waitingFor, timeoutMs);
          if (next.done) return;
          yield next.value;
        }
      } catch (error) {
        signal?.throwIfAborted();
        if (error instanceof LayerscopeError) throw error;
        throw engineError(error, endpoint, ref);
      } finally {
        signal?.removeEventListener('abort', stop);
        response.destroy();
      }
    },
  };
}

const TIMED_OUT = Symbol('timed out');

/**
 * Waits for the source's next step at most `ms`: the clock runs only while layerscope waits on
 * the engine, never while it works on what arrived (a slow parse is not an idle engine).
 */
async function idle<T>(step: Promise<T>, ms: number, onTimeout: () => void): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  try {
    const result = await Promise.race([step, timeout]);
    if (result === TIMED_OUT) {
      step.catch(() => undefined);
      onTimeout();
    }
    return result;
  } finally {
    clearTimeout(timer);
  }
}

/** An engine that answers 5xx to the export had the image (inspect worked): its failure, not a missing engine. */
function exportFailure(error: unknown, ref: string): unknown {
  const cause = error instanceof EngineUnavailableError ? /the engine answered (5\d\d): (.*)$/.exec(error.reason) : null;
  if (!cause) return error;
  const reason = (cause[2] ?? '').replace(/^\(HTTP code \d+\)\s*(?:[a-z ]+ - )?/, '').trim();
  return new EngineExportError(ref, `HTTP ${cause[1] ?? ''}${reason ? `: ${reason}` : ''}`);
}
