// The build context as the docker CLI sends it to the engine: a tar of the context directory less
// what .dockerignore leaves out, streamed one file at a time. The rules are the CLI's: the
// Dockerfile and .dockerignore are sent even when ignored, an excluded directory is still walked
// when an exception names something under it, symlinks are sent as symlinks, owners become root,
// and a Dockerfile outside the context is added under a random name that .dockerignore hides.

import { randomBytes } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import { lstat, readdir, readFile, readlink, realpath, stat } from 'node:fs/promises';
import { posix, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import dockerignore from '@balena/dockerignore';
import { pack as tarPack, type Header, type Pack } from 'tar-stream';
import { UsageError } from '../errors.js';
import { byUtf8 } from '../model/order.js';

// The package is CommonJS with a `default` that points back at itself; its types declare only that.
const ignore = dockerignore.default;

type EntryHeader = Partial<Header> & Pick<Header, 'name'>;

export interface ContextFilter {
  /** Whether the entry at this context-relative, slash-separated path is left out of the context. */
  excludes(path: string): boolean;
  /** Whether an excluded directory must still be walked: an exception (`!dir/keep`) may bring back something under it. */
  walksInto(dir: string): boolean;
}

export interface BuildContext {
  /** The context as a tar, read from disk as it is consumed. */
  readonly tar: Readable;
  /** Where the Dockerfile is inside the tar: what the engine's `dockerfile` parameter must say. */
  readonly dockerfile: string;
}

export interface ContextOptions {
  /** The Dockerfile as -f gives it: absolute or relative to the current directory; `DIR/Dockerfile` by default. */
  readonly dockerfile?: string;
}

/** A .dockerignore's patterns, read as the docker CLI reads them. */
export function readDockerignore(text: string): string[] {
  const patterns: string[] = [];
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    if (line.startsWith('#')) continue;
    let pattern = line.trim();
    const exception = pattern.startsWith('!');
    if (exception) pattern = pattern.slice(1).trim();
    if (pattern === '' && !exception) continue;
    if (pattern !== '') {
      pattern = posix.normalize(pattern).replace(/(.)\/$/, '$1');
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    // Only a line's first character makes it a comment: an indented `#` is a pattern.
    if (pattern.startsWith('#')) pattern = `\\${pattern}`;
    patterns.push(exception ? `!${pattern}` : pattern);
  }
  return patterns;
}

/**
 * Matches context paths against .dockerignore patterns (from readDockerignore), keeping the
 * Dockerfile (its context-relative path, when it is inside the context) and .dockerignore.
 */
export function contextFilter(patterns: readonly string[], dockerfile?: string): ContextFilter {
  const rules = [...patterns];
  const matches = (path: string): boolean => ignore({ ignorecase: false }).add(rules).ignores(path);
  if (matches('.dockerignore')) rules.push('!.dockerignore');
  if (dockerfile !== undefined && matches(dockerfile)) rules.push(`!${dockerfile}`);
  const matcher = ignore({ ignorecase: false }).add(rules);
  const exceptions = rules.filter((rule) => rule.startsWith('!')).map((rule) => rule.slice(1));
  return {
    excludes: (path) => matcher.ignores(path),
    // Docker's own test: does an exception's text start with the directory's path?
    walksInto: (dir) => exceptions.some((exception) => `${exception}/`.startsWith(`${dir}/`)),
  };
}

/** Reads the context's .dockerignore and streams the context; throws a UsageError for a missing context or Dockerfile. */
export async function contextTar(dir: string, options: ContextOptions = {}): Promise<BuildContext> {
  const root = await realpath(dir).catch(() => undefined);
  if (!root || !(await stat(root)).isDirectory()) {
    throw new UsageError(`the build context ${dir} is not a directory`, 'pass the directory whose files the Dockerfile copies, often .');
  }
  const dockerfilePath = options.dockerfile ?? (await defaultDockerfile(root));
  const dockerfileReal = await realpath(dockerfilePath).catch(() => undefined);
  if (!dockerfileReal) {
    throw new UsageError(`cannot find the Dockerfile ${dockerfilePath}`, 'name it with -f PATH, or add a Dockerfile to the build context');
  }
  const ignoreText = await readFile(resolve(root, '.dockerignore'), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw unreadable('.dockerignore', error);
  });
  const inside = relative(root, dockerfileReal);
  if (!inside.startsWith(`..${sep}`) && inside !== '..') {
    const dockerfile = inside.split(sep).join('/');
    const filter = contextFilter(readDockerignore(ignoreText ?? ''), dockerfile);
    return { tar: bytes(packContext(root, filter, [])), dockerfile };
  }

  // Outside the context: the CLI adds it under a random name and lists that name in
  // .dockerignore, so that COPY . does not copy it.
  const dockerfile = `.dockerfile.${randomBytes(10).toString('hex')}`;
  const filter = contextFilter(readDockerignore(ignoreText ?? ''));
  const withoutIgnoreFile: ContextFilter = { ...filter, excludes: (path) => path === '.dockerignore' || filter.excludes(path) };
  const extra = [
    { name: '.dockerignore', content: Buffer.from(`${ignoreText ?? ''}\n${dockerfile}\n`) },
    { name: dockerfile, content: await readFile(dockerfileReal) },
  ];
  return { tar: bytes(packContext(root, withoutIgnoreFile, extra)), dockerfile };
}

/** `Dockerfile`, or `dockerfile` when only that exists, as the CLI chooses. */
async function defaultDockerfile(root: string): Promise<string> {
  const usual = resolve(root, 'Dockerfile');
  if (await lstat(usual).catch(() => undefined)) return usual;
  const lower = resolve(root, 'dockerfile');
  return (await lstat(lower).catch(() => undefined)) ? lower : usual;
}

/** A byte stream (Readable.from would make an object stream) over tar-stream's pack. */
const bytes = (pack: Pack): Readable => Readable.from(pack as AsyncIterable<Buffer>, { objectMode: false });

interface Extra {
  readonly name: string;
  readonly content: Buffer;
}

function packContext(root: string, filter: ContextFilter, extra: readonly Extra[]): Pack {
  const pack = tarPack();
  void (async () => {
    try {
      const links = new Map<string, string>();
      for await (const { path, stats } of walk(root, '', filter)) await addEntry(pack, root, path, stats, links);
      for (const { name, content } of extra) await write(pack, { name, type: 'file', mode: 0o600, uid: 0, gid: 0, mtime: new Date() }, content);
      pack.finalize();
    } catch (error) {
      pack.destroy(error as Error);
    }
  })();
  return pack;
}

/** The context's entries in the order Go's filepath.Walk gives them: depth first, names in byte order. */
async function* walk(root: string, dir: string, filter: ContextFilter): AsyncGenerator<{ path: string; stats: Stats }> {
  const names = await readdir(resolve(root, dir)).catch((error: NodeJS.ErrnoException) => {
    throw unreadable(dir || '.', error);
  });
  for (const name of names.sort(byUtf8)) {
    const path = dir ? `${dir}/${name}` : name;
    const stats = await lstat(resolve(root, path));
    const excluded = filter.excludes(path);
    if (!excluded) yield { path, stats };
    if (stats.isDirectory() && (!excluded || filter.walksInto(path))) yield* walk(root, path, filter);
  }
}

async function addEntry(pack: Pack, root: string, path: string, stats: Stats, links: Map<string, string>): Promise<void> {
  const header: EntryHeader = { name: path, mode: stats.mode & 0o7777, uid: 0, gid: 0, mtime: stats.mtime };
  if (stats.isDirectory()) return write(pack, { ...header, name: `${path}/`, type: 'directory' });
  if (stats.isSymbolicLink()) return write(pack, { ...header, type: 'symlink', linkname: await readlink(resolve(root, path)) });
  // Sockets, FIFOs and devices have no place in an image built from a context.
  if (!stats.isFile()) return;
  if (stats.nlink > 1) {
    const inode = `${stats.dev}:${stats.ino}`;
    const first = links.get(inode);
    if (first !== undefined) return write(pack, { ...header, type: 'link', linkname: first });
    links.set(inode, path);
  }
  try {
    await pipeline(createReadStream(resolve(root, path)), pack.entry({ ...header, type: 'file', size: stats.size }));
  } catch (error) {
    throw unreadable(path, error as NodeJS.ErrnoException);
  }
}

function write(pack: Pack, header: EntryHeader, content?: Buffer): Promise<void> {
  return new Promise((done, fail) => {
    const callback = (error?: Error | null): void => (error ? fail(error) : done());
    if (content) pack.entry({ ...header, size: content.length }, content, callback);
    else pack.entry(header, callback);
  });
}

function unreadable(path: string, error: NodeJS.ErrnoException): Error {
  if (error.code !== 'EACCES' && error.code !== 'EPERM') return error;
  return new UsageError(`cannot read ${path} in the build context (${error.code})`, 'fix its permissions, or leave it out with .dockerignore');
}
