// The one parser every source feeds: an image archive byte stream (docker-save legacy layout or
// OCI layout) → a ParsedImage. Blobs are parsed as they pass; the layout is resolved at the end,
// because manifest.json can arrive last and nothing is buffered but small JSON documents.

import { posix } from 'node:path';
import { CorruptLayerError, HeapLimitError, InvalidArchiveError, LayerscopeError, TooManyEntriesError } from '../errors.js';
import type { LayerContents, ParsedImage } from '../model/types.js';
import { classifyBlob } from './decompress.js';
import { digestOf, MAX_DOCUMENT_BYTES } from './documents.js';
import { openOuterArchive } from './outer-archive.js';
import type { Platform } from '../model/platform.js';
import { resolveImage } from './resolve-layout.js';
import type { ArchiveMember, ArchiveMembers } from './archive-members.js';
import { normalisePath } from './paths.js';
import { readLayer, TOO_MANY_ENTRIES } from './read-layer.js';
import type { LayerReader } from './worker-layer-reader.js';
import { feed, peek } from './streams.js';
import { confirmKnown, fingerprintOf, FINGERPRINT_BYTES, NOT_THE_KNOWN_LAYER, type KnownLayers } from './known-layers.js';
import { createHeapGuard, isHeapNearlyFull, type HeapGuard } from './heap-guard.js';

const TAR_BLOCK = 512;

export interface ReadProgress {
  /** Bytes of the archive read so far. */
  readonly archiveBytes: number;
  /** Layer blobs fully parsed so far. */
  readonly blobsDone: number;
}

export interface ReadImageOptions {
  /** How the user named the archive, for messages: `docker-archive:x.tar`, `busybox:latest`. */
  readonly source: string;
  /** Digest each regular file's content; on by default. */
  readonly hashContent?: boolean;
  /** Check each layer against its diff ID (a sha256 pass over every byte); on by default. */
  readonly verify?: boolean;
  /** Which image of a multi-platform index, as the user chose it (--platform). */
  readonly platform?: Platform;
  /** The engine's or this machine's platform, for when the user chose none. */
  readonly defaultPlatform?: Platform;
  /** Which image of a multi-image archive, by tag; the only one otherwise. */
  readonly tag?: string;
  readonly onProgress?: (progress: ReadProgress) => void;
  /** Parses one layer blob; in-thread readLayer by default (see worker-layer-reader.ts). */
  readonly layerReader?: LayerReader;
  /** Called as each layer blob finishes, before the layout is known: progressive loading. */
  readonly onLayer?: (blob: string, contents: LayerContents) => void;
  /** Stop with TooManyEntriesError beyond this many entries in all (archive members, files, whiteouts). */
  readonly maxEntries?: number;
  /** Stops the read before the heap runs out (heap-guard.ts); one watching this process by default. */
  readonly heap?: HeapGuard;
  /** Where to copy a layer blob's bytes as they pass (the layer cache's --cache-blobs), by member name. */
  readonly copyBlob?: (member: string) => Promise<(chunk: Buffer) => Promise<void>>;
  /** Layers parsed before (the layer cache): recognised, they pass unparsed (known-layers.ts). */
  readonly knownLayers?: KnownLayers;
}

export type { ArchiveMember, ArchiveMembers } from './archive-members.js';

export async function readImageArchive(
  archive: AsyncIterable<Buffer>,
  options: ReadImageOptions,
): Promise<ParsedImage> {
  const members = await readMembers(await openOuterArchive(archive, options.source), options);
  return resolveImage(members, {
    source: options.source,
    ...(options.platform ? { platform: options.platform } : {}),
    ...(options.defaultPlatform ? { defaultPlatform: options.defaultPlatform } : {}),
    ...(options.tag !== undefined ? { tag: options.tag } : {}),
  });
}

async function readMembers(archive: AsyncIterable<Buffer>, options: ReadImageOptions): Promise<ArchiveMembers> {
  const members = new Map<string, ArchiveMember>();
  const links = new Map<string, string>();
  const progress = { archiveBytes: 0, blobsDone: 0 };
  const report = (): void => options.onProgress?.({ ...progress });
  // Loaded here, not with the module: an image the layer cache holds is never read as an archive.
  const outer = (await import('tar-stream')).extract();
  const feeding = feed(archive, outer, (chunk) => {
    progress.archiveBytes += chunk.length;
  });
  let seen = 0;
  let entries = 0; // archive members and layer entries so far, against maxEntries
  const maxEntries = options.maxEntries ?? Number.POSITIVE_INFINITY;
  const heap = options.heap ?? createHeapGuard();
  let current: string | undefined;
  try {
    for await (const member of outer) {
      seen++;
      if (++entries > maxEntries) throw new TooManyEntriesError(options.source, maxEntries);
      const { header } = member;
      const name = normalisePath(header.name);
      current = name;
      if (header.type === 'symlink' || header.type === 'link') {
        const target = header.type === 'symlink' ? posix.join(posix.dirname(name), header.linkname) : header.linkname;
        links.set(name, normalisePath(target));
        member.resume();
        continue;
      }
      if (header.type !== 'file' || header.size === 0) {
        member.resume();
        continue;
      }
      const read = await readMember(name, member as AsyncIterable<Buffer>, header.size, { ...options, maxEntries: maxEntries - entries, heap }, report);
      members.set(name, read);
      if (read.kind === 'layer') {
        entries += read.contents.entries.length + read.contents.whiteouts.length + read.contents.opaqueDirs.length;
        progress.blobsDone++;
        report();
      }
      // A member that failed may have failed because the archive ends inside it: keep its name
      // until the next member proves the archive goes on.
      if (read.kind !== 'unreadable') current = undefined;
    }
  } catch (error) {
    outer.destroy();
    if (error instanceof LayerscopeError) throw error;
    if ((error as { code?: unknown }).code === TOO_MANY_ENTRIES) throw new TooManyEntriesError(options.source, maxEntries);
    if ((error as { code?: unknown }).code === NOT_THE_KNOWN_LAYER) throw error;
    if (isHeapNearlyFull(error)) throw new HeapLimitError(options.source, error.entries, error.limit);
    if (isBadHeader(error)) throw new InvalidArchiveError(options.source, 'it is not a tar archive');
    if (isZlibError(error) && !isTruncation(error)) throw new InvalidArchiveError(options.source, 'its compressed data is corrupt');
    if (!isTruncation(error)) throw error;
    if (current !== undefined) throw new CorruptLayerError(current, 'the archive ends inside it (truncated download or disk full?)');
    throw new InvalidArchiveError(options.source, `it ends early, after ${seen} members (truncated?)`);
  }
  await feeding;
  report();
  if (seen === 0) throw new InvalidArchiveError(options.source, 'it is empty or not a tar archive');
  return { members, links };
}

async function readMember(
  name: string,
  stream: AsyncIterable<Buffer>,
  size: number,
  options: ReadImageOptions,
  report: () => void,
): Promise<ArchiveMember> {
  const { head, all } = await peek(stream, options.knownLayers ? FINGERPRINT_BYTES : TAR_BLOCK);
  const kind = classifyBlob(head);
  if (kind === 'json' && size <= MAX_DOCUMENT_BYTES) {
    options.heap?.check(size);
    const chunks: Buffer[] = [];
    for await (const chunk of all) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    return { kind: 'json', text: bytes.toString('utf8'), digest: digestOf(bytes) };
  }
  if (kind === 'json' || kind === 'other') {
    await drain(all);
    return { kind: 'other' };
  }
  if (kind === 'none' && options.knownLayers) {
    const fingerprint = fingerprintOf(size, head);
    options.knownLayers.seen(name, fingerprint);
    const known = await options.knownLayers.find?.(fingerprint, name);
    if (known) {
      const contents = await confirmKnown(all, known, options.knownLayers.byLayout);
      options.onLayer?.(name, contents);
      return { kind: 'layer', contents };
    }
  }
  try {
    const reader = options.layerReader ?? readLayer;
    const contents = await reader(options.copyBlob ? copied(all, await options.copyBlob(name)) : all, kind, {
      hashContent: options.hashContent ?? true,
      verify: options.verify ?? true,
      onBytes: report,
      ...(options.maxEntries === undefined ? {} : { maxEntries: options.maxEntries }),
      ...(options.heap === undefined ? {} : { heap: options.heap }),
    });
    options.onLayer?.(name, contents);
    return { kind: 'layer', contents };
  } catch (error) {
    if ((error as { code?: unknown }).code === TOO_MANY_ENTRIES || isHeapNearlyFull(error)) throw error;
    // The outer tar may still be fine: skip the rest of this member and carry on. The layer is
    // only an error if the image turns out to use it (see resolve-layout).
    await drain(all).catch(() => {});
    return { kind: 'unreadable', problem: error instanceof Error ? error.message : String(error) };
  }
}

async function* copied(stream: AsyncIterable<Buffer>, write: (chunk: Buffer) => Promise<void>): AsyncGenerator<Buffer> {
  for await (const chunk of stream) {
    await write(chunk);
    yield chunk;
  }
}

async function drain(stream: AsyncIterable<Buffer>): Promise<void> {
  for await (const _ of stream);
}

function isBadHeader(error: unknown): boolean {
  return error instanceof Error && /invalid (tar )?header|header exceeds/i.test(error.message);
}

function isZlibError(error: unknown): boolean {
  return error instanceof Error && String((error as { code?: unknown }).code).startsWith('Z_');
}

function isTruncation(error: unknown): boolean {
  return error instanceof Error && /unexpected end|premature close/i.test(error.message);
}
