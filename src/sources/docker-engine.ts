// The Docker Engine as an image source, through dockerode: inspect and history for the layer
// list and progress, and the export stream (`GET /images/{name}/get`, what `docker save`
// writes) for the archive parser.

import Docker from 'dockerode';
import { EngineExportError, EngineUnavailableError, EnginePermissionError, ImageNotFoundError, LayerscopeError } from '../errors.js';
import type { Endpoint } from './endpoint.js';

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
  /** The image archive, streamed. */
  export(): AsyncIterable<Buffer>;
}

export async function openEngineImage(ref: string, endpoint: Endpoint): Promise<EngineImage> {
  const docker = new Docker(endpoint.options);
  const image = docker.getImage(ref);
  const info = await image.inspect().catch((error: unknown) => {
    throw engineError(error, endpoint, ref);
  });
  const variant = (info as { Variant?: string }).Variant;
  return {
    endpoint,
    id: info.Id,
    size: info.Size,
    platform: { os: info.Os, architecture: info.Architecture, ...(variant ? { variant } : {}) },
    diffIds: info.RootFS?.Layers ?? [],
    async history() {
      const items = (await image.history().catch((error: unknown) => {
        throw engineError(error, endpoint, ref);
      })) as Array<{ Id?: string; CreatedBy?: string; Size?: number }>;
      return items
        .map((item) => ({ id: item.Id ?? '', createdBy: item.CreatedBy ?? '', size: item.Size ?? 0 }))
        .reverse();
    },
    async *export() {
      const stream = await image.get().catch((error: unknown) => {
        throw exportError(error, endpoint, ref);
      });
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) yield chunk;
      } catch (error) {
        throw exportError(error, endpoint, ref);
      }
    },
  };
}

/** The export was refused by an engine that had just answered for the image: its failure, not a missing engine. */
function exportError(error: unknown, endpoint: Endpoint, ref: string): Error {
  const { statusCode, message, json } = error as { statusCode?: number; message?: string; json?: { message?: unknown } };
  if (typeof statusCode === 'number' && statusCode >= 500) {
    const reason = typeof json?.message === 'string' ? json.message : (message ?? '').replace(/^\(HTTP code \d+\)\s*(?:[a-z ]+ - )?/, '').trim();
    return new EngineExportError(ref, `HTTP ${statusCode}${reason ? `: ${reason}` : ''}`);
  }
  return engineError(error, endpoint, ref);
}

/** Turns dockerode's errors into ones a user can act on; anything unexpected stays a bug. */
export function engineError(error: unknown, endpoint: Endpoint, ref: string): Error {
  if (error instanceof LayerscopeError) return error;
  const { code, statusCode, message } = error as { code?: string; statusCode?: number; message?: string };
  if (statusCode === 404) return new ImageNotFoundError(ref, endpoint.url);
  if (code === 'EACCES' || code === 'EPERM') return new EnginePermissionError(endpoint.url);
  if (code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'ETIMEDOUT') {
    return new EngineUnavailableError(`${endpoint.url} (from ${endpoint.origin})`, code === 'ENOENT' ? 'no such socket' : code);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    return new EngineUnavailableError(`${endpoint.url} (from ${endpoint.origin})`, 'the connection was lost while reading the image');
  }
  if (typeof statusCode === 'number') {
    return new EngineUnavailableError(`${endpoint.url} (from ${endpoint.origin})`, `the engine answered ${statusCode}: ${message ?? ''}`.trim());
  }
  return error instanceof Error ? error : new Error(String(error));
}
