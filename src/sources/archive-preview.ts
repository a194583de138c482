// What a `docker save` tar on disk says about its image before it is read: the layers' diff IDs
// and the history, from manifest.json and the image config. manifest.json comes last in the
// stream, but a file can be seeked: the outer tar has only a few members (a layer is one), so
// walking their headers and reading two small JSON files costs milliseconds whatever the size.
// The explorer then lists the layers at once and places each as it is read, as it does for the
// engine. Anything unexpected (gzip, a long name, JSON it cannot read) means no preview: the
// parser reads the whole archive anyway and reports real problems itself.

import { open } from 'node:fs/promises';
import type { ImagePreview } from './open-image.js';

interface Member {
  readonly offset: number;
  readonly size: number;
}

const BLOCK = 512;
const MAX_MEMBERS = 100_000;
const MAX_JSON = 16 << 20;

export async function dockerSavePreview(path: string, tag: string | undefined): Promise<ImagePreview | undefined> {
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
    const read = async (name: string): Promise<unknown> => {
      const member = members.get(name);
      if (!member || member.size > MAX_JSON) return undefined;
      const data = Buffer.alloc(member.size);
      await file.read(data, 0, member.size, member.offset);
      return JSON.parse(data.toString('utf8'));
    };
    const manifest = (await read('manifest.json')) as { Config?: string; RepoTags?: string[] | null; Layers?: string[] }[] | undefined;
    if (!Array.isArray(manifest)) return undefined;
    const chosen = tag === undefined ? (manifest.length === 1 ? manifest[0] : undefined) : manifest.find((image) => (image.RepoTags ?? []).includes(tag)); // as resolve-layout.ts chooses
    if (!chosen?.Config) return undefined;
    const config = (await read(chosen.Config)) as { rootfs?: { diff_ids?: string[] }; history?: { created_by?: string; empty_layer?: boolean }[] } | undefined;
    const diffIds = config?.rootfs?.diff_ids;
    if (!Array.isArray(diffIds) || diffIds.some((id) => typeof id !== 'string')) return undefined;
    const history = (config?.history ?? []).map((step) => ({ createdBy: String(step.created_by ?? ''), size: step.empty_layer ? 0 : 1, emptyLayer: step.empty_layer === true }));
    return { diffIds, history };
  } catch {
    return undefined;
  } finally {
    await file.close();
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
