// What an image archive on disk says about its image before it is read: the layers' diff IDs and
// the history, from manifest.json (docker save) or index.json (OCI layout) and the image config. manifest.json comes last in the
// stream, but a file can be seeked: the outer tar has only a few members (a layer is one), so
// walking their headers and reading two small JSON files costs milliseconds whatever the size.
// The explorer then lists the layers at once and places each as it is read, as it does for the
// engine. Anything unexpected (gzip, a long name, JSON it cannot read) means no preview: the
// parser reads the whole archive anyway and reports real problems itself.

import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImagePreview } from './image-preview.js';

interface Member {
  readonly offset: number;
  readonly size: number;
}

const BLOCK = 512;
const MAX_MEMBERS = 100_000;
const MAX_JSON = 16 << 20;

export async function tarPreview(path: string, tag: string | undefined): Promise<ImagePreview | undefined> {
  return withMembers(path, async (read) => {
    const manifest = (await read('manifest.json')) as { Config?: string; RepoTags?: string[] | null; Layers?: string[] }[] | undefined;
    if (Array.isArray(manifest)) {
      const chosen = tag === undefined ? (manifest.length === 1 ? manifest[0] : undefined) : manifest.find((image) => (image.RepoTags ?? []).includes(tag)); // as resolve-layout.ts chooses
      return chosen?.Config ? fromConfig(await read(chosen.Config)) : undefined;
    }
    return ociPreview(read, tag);
  });
}

/** An OCI layout: index.json, then the one image manifest it leads to (or the one tagged), then its config. */
export async function ociPreview(read: (name: string) => Promise<unknown>, tag: string | undefined): Promise<ImagePreview | undefined> {
  type Descriptor = { mediaType?: string; digest?: string; annotations?: Record<string, string> };
  const blob = (digest: string | undefined) => (digest?.startsWith('sha256:') ? read(`blobs/sha256/${digest.slice(7)}`) : Promise.resolve(undefined));
  let index = (await read('index.json')) as { manifests?: Descriptor[] } | undefined;
  // A platform index behind the top one: follow it only when it is the only entry.
  for (let depth = 0; depth < 2 && index?.manifests?.length === 1 && /index/.test(index.manifests[0]?.mediaType ?? ''); depth++) {
    index = (await blob(index.manifests[0]?.digest)) as typeof index;
  }
  const manifests = index?.manifests ?? [];
  const chosen = tag === undefined ? (manifests.length === 1 ? manifests[0] : undefined) : manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === tag);
  if (!chosen || /index/.test(chosen.mediaType ?? '')) return undefined;
  const manifest = (await blob(chosen.digest)) as { config?: Descriptor } | undefined;
  return fromConfig(await blob(manifest?.config?.digest));
}

/** The preview an image config gives: diff IDs and history steps. */
export function fromConfig(value: unknown): ImagePreview | undefined {
  const config = value as { rootfs?: { diff_ids?: unknown[] }; history?: { created_by?: string; empty_layer?: boolean }[] } | undefined;
  const diffIds = config?.rootfs?.diff_ids;
  if (!Array.isArray(diffIds) || diffIds.some((id) => typeof id !== 'string')) return undefined;
  const history = (config?.history ?? []).map((step) => ({ createdBy: String(step.created_by ?? ''), size: step.empty_layer ? 0 : 1, emptyLayer: step.empty_layer === true }));
  return { diffIds: diffIds as string[], history };
}

/** Walks the tar's member headers (seeking past contents) and hands over a reader of small members. */
async function withMembers(path: string, use: (read: (name: string) => Promise<unknown>) => Promise<ImagePreview | undefined>): Promise<ImagePreview | undefined> {
  const file = await open(path, 'r').catch(() => undefined);
  if (!file) return undefined;
  try {
    const members = new Map<string, Member>();
    const header = Buffer.alloc(BLOCK);
    let offset = 0;
    for (let count = 0; count < MAX_MEMBERS; count++) {
      const { bytesRead } = await file.read(header, 0, BLOCK, offset);
      if (bytesRead < BLOCK || header.every((byte) => byte === 0)) break;
      if (count === 0 && header[0] === 0x1f && header[1] === 0x8b) return undefined; // gzip
      const size = octal(header.subarray(124, 136));
      if (size === undefined) return undefined;
      const type = String.fromCharCode(header[156] ?? 0);
      const prefix = text(header.subarray(345, 500));
      const name = (prefix ? `${prefix}/` : '') + text(header.subarray(0, 100));
      if (type === '0' || type === '\0') members.set(name.replace(/^\.\//, ''), { offset: offset + BLOCK, size });
      offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    }
    return await use(async (name) => {
      const member = members.get(name);
      if (!member || member.size > MAX_JSON) return undefined;
      const data = Buffer.alloc(member.size);
      await file.read(data, 0, member.size, member.offset);
      return JSON.parse(data.toString('utf8'));
    });
  } catch {
    return undefined;
  } finally {
    await file.close();
  }
}

/** An OCI layout directory: the same, reading its files. */
export async function ociDirectoryPreview(root: string, tag: string | undefined): Promise<ImagePreview | undefined> {
  try {
    return await ociPreview(async (name) => {
      const data = await readFile(join(root, name)).catch(() => undefined);
      return data && data.length <= MAX_JSON ? JSON.parse(data.toString('utf8')) : undefined;
    }, tag);
  } catch {
    return undefined;
  }
}

function text(field: Buffer): string {
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? field.length : end).toString('utf8');
}

/** A tar numeric field: octal digits (GNU base-256 for huge sizes is not expected here). */
function octal(field: Buffer): number | undefined {
  const digits = text(field).trim();
  if (!/^[0-7]+$/.test(digits)) return undefined;
  return Number.parseInt(digits, 8);
}
