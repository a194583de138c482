// From what the user typed to an archive stream for the parser, whatever the source.

import type { FileKind, ImageTarget } from './image-target.js';
import type { ReadImageOptions } from '../archive/read-image-archive.js';
import type { Platform } from '../model/platform.js';
import type { FileHandle } from 'node:fs/promises';
import type { ReadChoices } from './read-choices.js';
import { openArchiveFile } from './archive-file.js';
import type { ImagePreview } from './image-preview.js';
import { tarPreview, directoryPreview } from './archive-preview.js';
import { engineEndpoint, systemEnvironment } from './endpoint.js';
import { cacheFor, type CacheChoices } from './cache-dir.js';
import type { LayerCache } from '../cache/layer-cache.js';

export interface OpenedImage {
  readonly target: ImageTarget;
  /** Roughly how many archive bytes to expect, for progress; undefined when unknown. */
  readonly expectedBytes?: number;
  /** The platform to choose from a multi-platform index when the user did not say. */
  readonly platform?: Platform;
  /** The image to choose from a multi-image archive. */
  readonly tag?: string;
  /**
   * Check layers against their diff IDs: for files, which get truncated and damaged; not for the
   * engine's own export, where the sha256 pass would cost about a tenth of the run for nothing.
   */
  readonly verify: boolean;
  /** What the source knows before the archive is read: each layer's diff ID and history (undefined when it cannot tell). */
  readonly preview?: () => Promise<ImagePreview | undefined>;
  /**
   * What fixes the archive's contents (an engine's image ID, a file's identity, a registry
   * manifest's digest): the same key, the same image. Undefined when the source cannot tell.
   */
  readonly cacheKey?: string;
  /** The layer cache (undefined with --no-cache). */
  readonly cache?: LayerCache;
  /** The archive, streamed; a source that may wait long on another party (the engine) lets go when `signal` aborts. */
  archive(signal?: AbortSignal): AsyncIterable<Buffer>;
  /**
   * The file at `path` in the filesystem of the image's first `layers` layers, as a tar of that
   * one file, when the source can give it without the whole archive (the engine, for the image
   * itself and intermediate images it kept: the file viewer's fast path); else undefined.
   */
  fileWithLayers?(layers: number, path: string): Promise<AsyncIterable<Buffer> | undefined>;
  /** An archive file opened again for reads at offsets (the file viewer), when it is still the file opened here (archive-file.ts). */
  reopenFile?(): Promise<FileHandle>;
}

export type { ImagePreview } from './image-preview.js';

export interface OpenOptions extends CacheChoices {
  readonly host?: string;
  /** The engine's (and a registry's) idle timeout (--timeout). */
  readonly timeoutMs?: number;
  /** --platform: a registry index is resolved to it before anything is downloaded. */
  readonly platform?: Platform;
  /** --tls-verify=false: accept a registry's certificate unchecked, or plain HTTP. */
  readonly tlsVerify?: boolean;
}

/** What opening a source takes from the user's choices. */
export function openOptionsOf(read: Pick<ReadChoices, 'host' | 'timeoutMs' | 'platform' | 'tlsVerify' | keyof CacheChoices>): OpenOptions {
  return {
    ...(read.noCache ? { noCache: read.noCache } : {}),
    ...(read.cacheDir !== undefined ? { cacheDir: read.cacheDir } : {}),
    ...(read.cacheBlobs ? { cacheBlobs: read.cacheBlobs } : {}),
    ...(read.host === undefined ? {} : { host: read.host }),
    ...(read.timeoutMs === undefined ? {} : { timeoutMs: read.timeoutMs }),
    ...(read.platform === undefined ? {} : { platform: read.platform }),
    ...(read.tlsVerify === undefined ? {} : { tlsVerify: read.tlsVerify }),
  };
}

/** The parser's options for an opened image: what the source knows, and the user's choices. */
export function readOptionsFor(
  opened: OpenedImage,
  choices: { readonly hashContent: boolean; readonly platform?: Platform; readonly maxEntries?: number },
): Pick<ReadImageOptions, 'source' | 'hashContent' | 'verify' | 'platform' | 'defaultPlatform' | 'tag' | 'maxEntries'> {
  return {
    source: opened.target.reference,
    hashContent: choices.hashContent,
    ...(choices.maxEntries === undefined ? {} : { maxEntries: choices.maxEntries }),
    verify: opened.verify,
    ...(choices.platform ? { platform: choices.platform } : {}),
    ...(opened.platform ? { defaultPlatform: opened.platform } : {}),
    ...(opened.tag !== undefined ? { tag: opened.tag } : {}),
  };
}

export async function openImage(target: ImageTarget, options: OpenOptions): Promise<OpenedImage> {
  const opened = await openSource(target, options);
  const cache = await cacheFor(options, systemEnvironment().env);
  return cache ? { ...opened, cache } : opened;
}

function openSource(target: ImageTarget, options: OpenOptions): Promise<OpenedImage> {
  switch (target.kind) {
    case 'engine':
      return openEngine(target, options);
    case 'docker-archive':
    case 'oci':
    case 'dir':
      return openFile(target);
    case 'registry':
      return openRegistry(target, options);
    case 'demo':
      return openDemo(target);
  }
}

async function openEngine(target: Extract<ImageTarget, { kind: 'engine' }>, options: OpenOptions): Promise<OpenedImage> {
  const endpoint = engineEndpoint(target.engine, options.host);
  // dockerode (and its HTTP and SSH stacks) loads only for engine images.
  const { openEngineImage } = await import('./docker-engine.js');
  const image = await openEngineImage(target.name, endpoint, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
  return {
    target,
    expectedBytes: image.size,
    platform: image.platform,
    verify: false,
    // The image ID is the config's digest: with the name asked for (the export's tags follow it), it fixes the export.
    cacheKey: JSON.stringify(['engine', endpoint.url, target.name, image.id]),
    preview: async () => ({ diffIds: image.diffIds, history: await image.history() }),
    archive: (signal) => image.export(signal),
    fileWithLayers: (layers, path) => image.fileWithLayers(layers, path),
  };
}

async function openFile(target: Extract<ImageTarget, { kind: FileKind }>): Promise<OpenedImage> {
  const file = await openArchiveFile(target.path, target.kind);
  return {
    target,
    expectedBytes: file.size,
    platform: hostPlatform(),
    verify: true,
    ...(file.tag !== undefined ? { tag: file.tag } : {}),
    ...(file.identity !== undefined ? { cacheKey: JSON.stringify(['file', target.kind, file.identity, file.tag ?? '']) } : {}),
    // Only the explorer asks: a report run never walks the headers.
    preview: () => (file.directory ? directoryPreview(file.path, file.tag) : tarPreview(file.path, file.tag)),
    archive: () => file.open(),
    ...(file.reopen ? { reopenFile: file.reopen } : {}),
  };
}

async function openRegistry(target: Extract<ImageTarget, { kind: 'registry' }>, options: OpenOptions): Promise<OpenedImage> {
  // undici and the registry client load only for registry images.
  const { openRegistryImage } = await import('./registry.js');
  const image = await openRegistryImage(target.image, {
    ...(options.platform ? { platform: options.platform } : {}),
    defaultPlatform: hostPlatform(),
    tlsVerify: options.tlsVerify ?? true,
    environment: systemEnvironment(),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  return {
    target,
    expectedBytes: image.expectedBytes,
    platform: image.platform,
    // The registry source checks each blob's digest as it downloads; the diff IDs tie the
    // uncompressed layers to the config, as for files.
    verify: true,
    // The manifest's digest fixes config and layers; the name is the archive's tag.
    cacheKey: JSON.stringify(['registry', image.name, image.manifestDigest]),
    preview: async () => image.preview,
    archive: () => image.archive(),
  };
}

async function openDemo(target: ImageTarget): Promise<OpenedImage> {
  const { demoArchive } = await import('./demo-image.js');
  const archive = await demoArchive();
  return {
    target,
    expectedBytes: archive.length,
    verify: true,
    archive: async function* () {
      yield archive;
    },
  };
}

/** This machine's platform, in the OCI spelling. */
function hostPlatform(): Platform {
  const architectures: Readonly<Record<string, string>> = {
    x64: 'amd64',
    arm64: 'arm64',
    arm: 'arm',
    ia32: '386',
    ppc64: 'ppc64le',
    s390x: 's390x',
    riscv64: 'riscv64',
  };
  return { os: 'linux', architecture: architectures[process.arch] ?? process.arch };
}
