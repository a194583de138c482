import { createHash, randomBytes } from 'node:crypto';
import { chmod, link, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract, type Header } from 'tar-stream';
import { afterEach, describe, expect, it } from 'vitest';
import { contextFilter, contextTar, readDockerignore } from '../../src/sources/build-context.js';
import { UsageError } from '../../src/errors.js';

describe('reading .dockerignore', () => {
  it('drops comments and blank lines, trims, cleans paths and strips a leading slash', () => {
    const text = '\uFEFF# comment\n\n  *.md  \n/build/\n./src/../dist\n! README.md\n  # not a comment\nnode_modules/**\r\n!\n';
    expect(readDockerignore(text)).toEqual(['*.md', 'build', 'dist', '!README.md', '\\# not a comment', 'node_modules/**', '!']);
  });
});

describe('which paths the context leaves out', () => {
  const filter = (text: string, dockerfile?: string) => contextFilter(readDockerignore(text), dockerfile);

  it('matches * within one directory, ** across any, and a pattern against the directories above a path', () => {
    const f = filter('*.md\n**/*.log\n/build\nnode_modules\n');
    expect(['CHANGES.md', 'docs/CHANGES.md'].map(f.excludes)).toEqual([true, false]);
    expect(['debug.log', 'src/a/b/debug.log'].map(f.excludes)).toEqual([true, true]);
    expect(['build', 'build/out.o', 'src/build'].map(f.excludes)).toEqual([true, true, false]);
    expect(['node_modules/lib/index.js', 'src/node_modules'].map(f.excludes)).toEqual([true, false]);
  });

  it('applies ! exceptions in order, the last matching line winning', () => {
    const f = filter('*.md\n!README.md\n!keep.txt\n*.txt\n');
    expect(['README.md', 'NOTES.md', 'keep.txt'].map(f.excludes)).toEqual([false, true, true]);
  });

  it('matches case-sensitively, as Docker on Linux does', () => {
    expect(filter('*.MD\n').excludes('README.md')).toBe(false);
  });

  it('keeps the Dockerfile and .dockerignore even when they are ignored', () => {
    const f = filter('*\n.*\n', 'Dockerfile');
    expect(['Dockerfile', '.dockerignore', 'src', '.git'].map(f.excludes)).toEqual([false, false, true, true]);
    const nested = filter('docker\n', 'docker/Dockerfile');
    expect(['docker', 'docker/Dockerfile', 'docker/notes.txt'].map(nested.excludes)).toEqual([true, false, true]);
    expect(nested.walksInto('docker')).toBe(true);
  });

  it('walks into an excluded directory only when an exception starts with its path', () => {
    const f = filter('vendor\nother\n!vendor/keep\n!**/wanted\n');
    expect(f.walksInto('vendor')).toBe(true);
    // Docker's check is textual: `!**/wanted` does not open `other`.
    expect(f.walksInto('other')).toBe(false);
    expect(filter('vendor\n').walksInto('vendor')).toBe(false);
  });
});

describe('the build context as a tar', () => {
  const temporary: string[] = [];
  afterEach(async () => {
    await Promise.all(temporary.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function tree(files: Record<string, string | Buffer>): Promise<string> {
    const root = await mkdtemp(join(tmpdir(), 'layerscope-context-'));
    temporary.push(root);
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), content);
    }
    return root;
  }

  interface Entry {
    readonly header: Header;
    readonly content: Buffer;
  }

  async function readTar(tar: Readable): Promise<Entry[]> {
    const reader = extract();
    const entries: Entry[] = [];
    const reading = (async () => {
      for await (const entry of reader) {
        const chunks: Buffer[] = [];
        for await (const chunk of entry) chunks.push(chunk as Buffer);
        entries.push({ header: entry.header, content: Buffer.concat(chunks) });
      }
    })();
    await Promise.all([pipeline(tar, reader), reading]);
    return entries;
  }

  const named = (entries: readonly Entry[], name: string): Entry => {
    const entry = entries.find((candidate) => candidate.header.name === name);
    if (!entry) throw new Error(`no ${name} in the tar`);
    return entry;
  };

  it('sends what .dockerignore keeps, in walk order, with symlinks as symlinks and hard links as links', async () => {
    const root = await tree({
      Dockerfile: 'FROM scratch\n',
      '.dockerignore': '*.md\n!README.md\nnode_modules\n**/*.log\n/build\n.git\nsecrets\n!secrets/public.pem\nDockerfile\n.dockerignore\n',
      'README.md': '# readme\n',
      'CHANGES.md': 'changes\n',
      'src/app.js': 'console.log(1)\n',
      'src/debug.log': 'log\n',
      'src/build/x.js': 'x\n',
      'build/out.o': 'o\n',
      'node_modules/lib/index.js': 'lib\n',
      '.git/HEAD': 'ref\n',
      'secrets/private.key': 'private\n',
      'secrets/public.pem': 'public\n',
    });
    await chmod(join(root, 'src/app.js'), 0o755);
    await link(join(root, 'src/app.js'), join(root, 'src/app-copy.js'));
    await symlink('src', join(root, 'link-to-src'));
    await symlink('../outside/secret', join(root, 'link-out'));

    const context = await contextTar(root);
    expect(context.dockerfile).toBe('Dockerfile');
    const entries = await readTar(context.tar);
    expect(entries.map((entry) => entry.header.name)).toEqual([
      '.dockerignore',
      'Dockerfile',
      'README.md',
      'link-out',
      'link-to-src',
      'secrets/public.pem',
      'src/',
      'src/app-copy.js',
      'src/app.js',
      'src/build/',
      'src/build/x.js',
    ]);
    expect(named(entries, 'link-to-src').header).toMatchObject({ type: 'symlink', linkname: 'src' });
    expect(named(entries, 'link-out').header).toMatchObject({ type: 'symlink', linkname: '../outside/secret' });
    expect(named(entries, 'src/').header.type).toBe('directory');
    expect(named(entries, 'src/app-copy.js').header).toMatchObject({ type: 'file', mode: 0o755, uid: 0, gid: 0 });
    expect(named(entries, 'src/app-copy.js').content.toString()).toBe('console.log(1)\n');
    expect(named(entries, 'src/app.js').header).toMatchObject({ type: 'link', linkname: 'src/app-copy.js' });
    expect(named(entries, 'README.md').content.toString()).toBe('# readme\n');
  });

  it('sends an ignored Dockerfile in an ignored directory, and nothing else from there', async () => {
    const root = await tree({ 'docker/Dockerfile': 'FROM scratch\n', 'docker/notes.txt': 'n\n', '.dockerignore': 'docker\n', 'app.txt': 'a\n' });
    const context = await contextTar(root, { dockerfile: join(root, 'docker', 'Dockerfile') });
    expect(context.dockerfile).toBe('docker/Dockerfile');
    expect((await readTar(context.tar)).map((entry) => entry.header.name)).toEqual(['.dockerignore', 'app.txt', 'docker/Dockerfile']);
  });

  it('adds a Dockerfile from outside the context under a random name that .dockerignore hides', async () => {
    const outside = await tree({ 'ctx/app.txt': 'a\n', 'ctx/skip.txt': 's\n', 'ctx/.dockerignore': 'skip.txt\n', 'Dockerfile.dev': 'FROM alpine\n' });
    const context = await contextTar(join(outside, 'ctx'), { dockerfile: join(outside, 'Dockerfile.dev') });
    expect(context.dockerfile).toMatch(/^\.dockerfile\.[0-9a-f]{20}$/);
    const entries = await readTar(context.tar);
    expect(entries.map((entry) => entry.header.name)).toEqual(['app.txt', '.dockerignore', context.dockerfile]);
    expect(named(entries, '.dockerignore').content.toString()).toBe(`skip.txt\n\n${context.dockerfile}\n`);
    expect(named(entries, context.dockerfile).content.toString()).toBe('FROM alpine\n');
  });

  it('writes a .dockerignore for an outside Dockerfile when the context has none', async () => {
    const outside = await tree({ 'ctx/app.txt': 'a\n', Dockerfile: 'FROM alpine\n' });
    const context = await contextTar(join(outside, 'ctx'), { dockerfile: join(outside, 'Dockerfile') });
    const entries = await readTar(context.tar);
    expect(entries.map((entry) => entry.header.name)).toEqual(['app.txt', '.dockerignore', context.dockerfile]);
    expect(named(entries, '.dockerignore').content.toString()).toBe(`\n${context.dockerfile}\n`);
  });

  it('falls back to a lowercase dockerfile, as the docker CLI does', async () => {
    const root = await tree({ dockerfile: 'FROM alpine\n' });
    expect((await contextTar(root)).dockerfile).toBe('dockerfile');
  });

  it('streams a file of several megabytes intact', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const root = await tree({ Dockerfile: 'FROM scratch\n', 'blob.bin': data });
    const entries = await readTar((await contextTar(root)).tar);
    const sha = (buffer: Buffer) => createHash('sha256').update(buffer).digest('hex');
    expect(sha(named(entries, 'blob.bin').content)).toBe(sha(data));
  });

  it('rejects a missing context, a context that is a file, and a missing Dockerfile with usage errors', async () => {
    const root = await tree({ 'file.txt': 'x\n' });
    await expect(contextTar(join(root, 'nope'))).rejects.toThrow(UsageError);
    await expect(contextTar(join(root, 'file.txt'))).rejects.toThrow(UsageError);
    await expect(contextTar(root)).rejects.toThrow(/cannot find the Dockerfile/);
  });
});
