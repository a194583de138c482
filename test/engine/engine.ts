// Helpers for tests against the real Docker Engine that scripts/test.sh starts. There is no
// skipping: without an engine these tests fail, as CI requires.

import { execFileSync } from 'node:child_process';
import Docker from 'dockerode';
import { extract as tarExtract } from 'tar-stream';
import { readImageArchive } from '../../src/archive/read-image-archive.js';
import { normalisePath } from '../../src/archive/paths.js';
import { feed } from '../../src/archive/streams.js';
import { visitMerged, type FileTree } from '../../src/model/file-tree.js';
import { resolveFile } from '../../src/analysis/figures.js';
import type { ParsedImage } from '../../src/model/types.js';
import { openEngineImage } from '../../src/sources/docker-engine.js';
import { resolveEndpoint, systemEnvironment } from '../../src/sources/endpoint.js';

export const FIXTURES = ['deletes', 'overwrites', 'opaque', 'duplicate-layers', 'multistage', 'c-single-stage'] as const;
export const fixtureImage = (name: string): string => `layerscope-fixture/${name}:latest`;

export const endpoint = resolveEndpoint(undefined, systemEnvironment());
export const docker = new Docker(endpoint.options);

/** Fails (never skips) when the engine or a fixture image is missing. */
export async function requireEngine(): Promise<void> {
  try {
    await docker.ping();
  } catch (error) {
    throw new Error(`no Docker Engine at ${endpoint.url}: run scripts/test.sh, which starts one (${String(error)})`);
  }
  for (const name of FIXTURES) {
    await docker
      .getImage(fixtureImage(name))
      .inspect()
      .catch(() => {
        throw new Error(`fixture image ${fixtureImage(name)} is missing: run scripts/fixtures.sh`);
      });
  }
}

export async function parseFromEngine(ref: string): Promise<ParsedImage> {
  const image = await openEngineImage(ref, endpoint);
  return readImageArchive(image.export(), { source: ref, defaultPlatform: image.platform });
}

export interface OracleEntry {
  readonly path: string;
  readonly type: 'file' | 'dir' | 'symlink' | 'other';
  readonly size: number;
}

/** What a container made from the image holds that the image itself did not put there. */
const CONTAINER_INIT = new Set([
  '.dockerenv', 'dev', 'dev/console', 'dev/pts', 'dev/shm', 'etc', 'etc/hostname', 'etc/hosts', 'etc/resolv.conf', 'etc/mtab', 'proc', 'sys',
]);

/** `docker export` of a container created (not started) from the image: the oracle. */
export async function exportedTree(ref: string): Promise<OracleEntry[]> {
  const container = await docker.createContainer({ Image: ref, Cmd: ['/layerscope-never-runs'], NetworkDisabled: true });
  try {
    const stream = (await container.export()) as unknown as AsyncIterable<Buffer>;
    const tar = tarExtract();
    const feeding = feed(stream, tar);
    const entries: OracleEntry[] = [];
    const sizes = new Map<string, number>();
    for await (const entry of tar) {
      const { header } = entry;
      const path = normalisePath(header.name);
      let size = 0;
      for await (const chunk of entry as AsyncIterable<Buffer>) size += chunk.length;
      if (path === '' || CONTAINER_INIT.has(path)) continue;
      if (header.type === 'file') sizes.set(path, size);
      const type = header.type === 'file' || header.type === 'link' ? 'file' : header.type === 'directory' ? 'dir' : header.type === 'symlink' ? 'symlink' : 'other';
      entries.push({ path, type, size: header.type === 'link' ? (sizes.get(normalisePath(header.linkname)) ?? -1) : size });
    }
    await feeding;
    return entries.sort(byPath);
  } finally {
    await container.remove({ force: true });
  }
}

/** The model's final merged tree in the oracle's terms (hardlinks as the file they share). */
export function modelTree(tree: FileTree): OracleEntry[] {
  const entries: OracleEntry[] = [];
  visitMerged(tree, tree.layerCount - 1, (node, version) => {
    if (CONTAINER_INIT.has(node.path)) return;
    const entry = version?.entry;
    if (!entry || entry.type === 'dir') return void entries.push({ path: node.path, type: 'dir', size: 0 });
    if (entry.type === 'file' || entry.type === 'hardlink') {
      const file = version && resolveFile(tree, version);
      return void entries.push({ path: node.path, type: 'file', size: file?.entry?.size ?? -1 });
    }
    entries.push({ path: node.path, type: entry.type, size: 0 });
  });
  return entries.sort(byPath);
}

function byPath(a: OracleEntry, b: OracleEntry): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Runs a shell command in a fresh container of the image (no network) and returns its stdout. */
export function inContainer(ref: string, script: string): string {
  return dockerCli(['run', '--rm', '--network=none', ref, 'sh', '-c', script]).toString('utf8');
}

/** Runs the docker CLI (tests use it only where the CLI is the oracle: save, tag). */
export function dockerCli(args: readonly string[], options: { input?: Buffer } = {}): Buffer {
  return execFileSync('docker', args, { maxBuffer: 1 << 30, ...(options.input ? { input: options.input } : {}) });
}
