// Writes small image archives in memory, in either layout: the built-in demo image is made
// with it, and so are the parser's unit tests. Real archives from a real engine are read by the
// engine tests; this writer follows the same layouts (manifest.json last, repeated layers as
// symlinks, OCI blobs by digest).

import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { pack as tarPack, type Header } from 'tar-stream';
import type { Compression } from '../model/types.js';

export interface TarEntrySpec {
  readonly name: string;
  readonly type?: 'file' | 'directory' | 'symlink' | 'link' | 'fifo';
  /** File content; a number makes that many bytes of filler. */
  readonly content?: string | Buffer | number;
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly linkname?: string;
}

export interface ImageSpec {
  readonly layers: readonly (readonly TarEntrySpec[])[];
  /** Steps oldest first; those without `emptyLayer` map to layers in order. */
  readonly history?: readonly { readonly createdBy: string; readonly emptyLayer?: boolean }[];
  readonly tags?: readonly string[];
  readonly os?: string;
  readonly architecture?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface ArchiveSpec {
  readonly layout: 'docker-save' | 'oci';
  readonly images: readonly ImageSpec[];
  /** OCI only: how layer blobs are compressed. */
  readonly compression?: Compression;
  /** OCI only: also write Docker 25's manifest.json next to index.json. */
  readonly dockerManifest?: boolean;
  /** OCI only: put the images behind one multi-platform index. */
  readonly platformIndex?: boolean;
}

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

export async function writeLayerTar(entries: readonly TarEntrySpec[]): Promise<Buffer> {
  const pack = tarPack();
  const done = collect(pack as AsyncIterable<Uint8Array>);
  for (const entry of entries) {
    const content =
      typeof entry.content === 'number' ? Buffer.alloc(entry.content, 0x61) : Buffer.from(entry.content ?? '');
    const header: Header = {
      name: entry.name,
      type: entry.type ?? 'file',
      mode: entry.mode ?? (entry.type === 'directory' ? 0o755 : 0o644),
      uid: entry.uid ?? 0,
      gid: entry.gid ?? 0,
      mtime: new Date(0),
      size: (entry.type ?? 'file') === 'file' ? content.length : 0,
      linkname: entry.linkname ?? '',
      uname: '',
      gname: '',
      devmajor: 0,
      devminor: 0,
    };
    await new Promise<void>((resolve, reject) => {
      const callback = (error?: Error | null): void => (error ? reject(error) : resolve());
      if (header.type === 'file') pack.entry(header, content, callback);
      else pack.entry(header, callback);
    });
  }
  pack.finalize();
  return done;
}

/** A zstd frame of raw (stored) blocks: valid zstd for any decoder, written without an encoder. */
export function zstdFrame(data: Buffer): Buffer {
  const parts: Buffer[] = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.from([0x00, 0x58])]; // no checksum, window 1 MiB
  const blockSize = 64 * 1024;
  for (let offset = 0; offset < data.length || offset === 0; offset += blockSize) {
    const block = data.subarray(offset, offset + blockSize);
    const last = offset + blockSize >= data.length ? 1 : 0;
    const header = (block.length << 3) | last; // block type 0: raw
    parts.push(Buffer.from([header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff]), block);
    if (data.length === 0) break;
  }
  return Buffer.concat(parts);
}

type Member = { readonly name: string; readonly data?: Buffer; readonly linkTo?: string };
type BuiltImage = Awaited<ReturnType<typeof buildImage>>;

export async function writeImageArchive(spec: ArchiveSpec): Promise<Buffer> {
  const built = await Promise.all(spec.images.map((image) => buildImage(image, spec.compression ?? 'none')));
  const members = spec.layout === 'docker-save' ? dockerSaveMembers(built) : ociMembers(built, spec);
  return writeLayerTar(
    members.map((m) => (m.linkTo ? { name: m.name, type: 'symlink', linkname: m.linkTo } : { name: m.name, content: m.data ?? '' })),
  );
}

/** docker save's legacy layout: a directory per layer, repeated layers as symlinks to the first, manifest.json last. */
function dockerSaveMembers(built: readonly BuiltImage[]): Member[] {
  const members: Member[] = [];
  const manifest = [];
  const stored = new Map<string, string>();
  for (const image of built) {
    let parent = '';
    const layerPaths = image.layers.map((layer) => {
      const id = sha256(`${parent}\n${layer.diffId}`);
      parent = id;
      const path = `${id}/layer.tar`;
      if (!members.some((m) => m.name === `${id}/VERSION`)) {
        members.push({ name: `${id}/VERSION`, data: Buffer.from('1.0') });
        members.push({ name: `${id}/json`, data: Buffer.from(JSON.stringify({ id })) });
        const first = stored.get(layer.diffId);
        if (first) members.push({ name: path, linkTo: `../${first}` });
        else {
          members.push({ name: path, data: layer.tar });
          stored.set(layer.diffId, path);
        }
      }
      return path;
    });
    members.push({ name: `${image.configDigest}.json`, data: image.config });
    manifest.push({ Config: `${image.configDigest}.json`, RepoTags: image.spec.tags ?? null, Layers: layerPaths });
  }
  members.push({ name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest)) });
  return members;
}

/** The OCI layout: blobs by digest, index.json (behind a platform index if asked), Docker 25's manifest.json if asked. */
function ociMembers(built: readonly BuiltImage[], spec: ArchiveSpec): Member[] {
  const members: Member[] = [];
  const blobs = new Map<string, Buffer>();
  const descriptors = built.map((image) => {
    for (const layer of image.layers) blobs.set(layer.blobDigest, layer.blob);
    blobs.set(image.configDigest, image.config);
    blobs.set(image.manifestDigest, image.manifest);
    return {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: `sha256:${image.manifestDigest}`,
      size: image.manifest.length,
      platform: { os: image.spec.os ?? 'linux', architecture: image.spec.architecture ?? 'amd64' },
      ...(image.spec.tags?.[0] ? { annotations: { 'org.opencontainers.image.ref.name': image.spec.tags[0] } } : {}),
    };
  });
  let index = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: descriptors as object[] };
  if (spec.platformIndex) {
    const inner = Buffer.from(JSON.stringify(index));
    blobs.set(sha256(inner), inner);
    index = {
      ...index,
      manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: `sha256:${sha256(inner)}`, size: inner.length }],
    };
  }
  for (const [digest, data] of blobs) members.push({ name: `blobs/sha256/${digest}`, data });
  members.push({ name: 'index.json', data: Buffer.from(JSON.stringify(index)) });
  if (spec.dockerManifest) {
    const manifest = built.map((image) => ({
      Config: `blobs/sha256/${image.configDigest}`,
      RepoTags: image.spec.tags ?? [],
      Layers: image.layers.map((layer) => `blobs/sha256/${layer.blobDigest}`),
    }));
    members.push({ name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest)) });
  }
  members.push({ name: 'oci-layout', data: Buffer.from('{"imageLayoutVersion":"1.0.0"}') });
  return members;
}

async function buildImage(spec: ImageSpec, compression: Compression) {
  const layers = await Promise.all(
    spec.layers.map(async (entries) => {
      const tar = await writeLayerTar(entries);
      const blob = compression === 'gzip' ? gzipSync(tar) : compression === 'zstd' ? zstdFrame(tar) : tar;
      return { tar, blob, diffId: `sha256:${sha256(tar)}`, blobDigest: sha256(blob) };
    }),
  );
  const history: NonNullable<ImageSpec['history']> = spec.history ?? layers.map((_, i) => ({ createdBy: `/bin/sh -c #(nop) layer ${i}` }));
  const config = Buffer.from(
    JSON.stringify({
      architecture: spec.architecture ?? 'amd64',
      os: spec.os ?? 'linux',
      created: '2026-01-01T00:00:00Z',
      config: { Labels: spec.labels ?? null },
      rootfs: { type: 'layers', diff_ids: layers.map((layer) => layer.diffId) },
      history: history.map((step) => ({
        created: '2026-01-01T00:00:00Z',
        created_by: step.createdBy,
        ...(step.emptyLayer ? { empty_layer: true } : {}),
      })),
    }),
  );
  const mediaType = `application/vnd.oci.image.layer.v1.tar${compression === 'none' ? '' : `+${compression}`}`;
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${sha256(config)}`, size: config.length },
      layers: layers.map((layer) => ({ mediaType, digest: `sha256:${layer.blobDigest}`, size: layer.blob.length })),
    }),
  );
  return { spec, layers, config, configDigest: sha256(config), manifest, manifestDigest: sha256(manifest) };
}

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}
