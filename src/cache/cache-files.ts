// The cache directory's file operations, made safe for a directory other processes (another
// layerscope, a crash, a hostile user's planted link) may have touched: writes go to a fresh
// temporary file in the same directory, are fsynced and renamed into place, so a reader sees a
// whole file or none; reads never follow a symlink and refuse anything but a regular file.

import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, unlink, utimes, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/** A sha256 diff ID's hex, the name of its files; undefined for anything else, so no name from outside reaches another directory. */
export function diffIdFileName(diffId: string): string | undefined {
  return /^sha256:[a-f0-9]{64}$/.test(diffId) ? diffId.slice('sha256:'.length) : undefined;
}

/** Creates `dir` (and parents) readable by its owner only. */
export async function ensureDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
}

/**
 * A file's bytes, or undefined when it is missing, a symlink, not a regular file, or larger than
 * `maxBytes`. Marks the file used (its mtime is the LRU clock: atime is often not kept).
 */
export async function readCacheFile(path: string, maxBytes: number): Promise<Buffer | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile() || stat.size > maxBytes) return undefined;
    const bytes = await handle.readFile();
    await touch(path);
    return bytes;
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}

/** Marks a file used now, for LRU eviction. */
export async function touch(path: string): Promise<void> {
  const now = new Date();
  await utimes(path, now, now).catch(() => undefined);
}

/** A temporary file beside `path` that only this call created (O_EXCL: a planted link there fails the open). */
export async function createTemp(path: string): Promise<{ readonly path: string; readonly handle: FileHandle }> {
  const temp = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  return { path: temp, handle };
}

/**
 * Puts a finished temporary file in place: fsync (unless `synced` says it was already, or need
 * not be), close, rename over whatever `path` was (a link included).
 */
export async function commitTemp(temp: { readonly path: string; readonly handle: FileHandle }, path: string, synced = false): Promise<void> {
  try {
    if (!synced) await temp.handle.sync();
  } finally {
    await temp.handle.close();
  }
  await rename(temp.path, path);
}

/** Writes `bytes` to `path` atomically (see commitTemp); a failure leaves no temporary file behind. */
export async function writeCacheFile(path: string, bytes: Buffer | string): Promise<void> {
  const temp = await createTemp(path);
  try {
    await temp.handle.writeFile(bytes);
  } catch (error) {
    await temp.handle.close().catch(() => undefined);
    await unlink(temp.path).catch(() => undefined);
    throw error;
  }
  await commitTemp(temp, path).catch(async (error: unknown) => {
    await unlink(temp.path).catch(() => undefined);
    throw error;
  });
}

export interface CacheFile {
  readonly path: string;
  readonly bytes: number;
  /** Last use, in ms (the file's mtime). */
  readonly used: number;
  /** A symlink, a directory or anything else the cache never writes: removed on sight. */
  readonly foreign: boolean;
}

/** What `dirs` hold, without following links. */
export async function listCacheFiles(dirs: readonly string[]): Promise<CacheFile[]> {
  const files: CacheFile[] = [];
  for (const dir of dirs) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      const path = join(dir, name);
      const stat = await lstat(path).catch(() => undefined);
      if (stat) files.push({ path, bytes: stat.isFile() ? stat.size : 0, used: stat.mtimeMs, foreign: !stat.isFile() });
    }
  }
  return files;
}

/** Removes a file or link (never what a link points to). */
export async function remove(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
}
