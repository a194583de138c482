// A two-platform image made by hand: the engine's linux/amd64 image copied out with skopeo, and
// a linux/arm64/v8 sibling that is the same layers plus one of its own (etc/arch, "arm64\n") under
// a config saying arm64, both under one index with an attestation-like unknown/unknown entry,
// pushed with `skopeo copy --all`.

import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack as tarPack } from 'tar-stream';
import { run } from './registry.js';

const INDEX = 'application/vnd.oci.image.index.v1+json';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const ARM_FILE = { path: 'etc/arch', content: 'arm64\n' };

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

export async function pushTwoPlatformImage(source: string, target: string, extraSkopeoArgs: readonly string[] = []): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'layerscope-multi-'));
  try {
    await run('skopeo', ['copy', '--quiet', `docker-daemon:${source}`, `oci:${dir}:amd64`]);
    const blobs = join(dir, 'blobs', 'sha256');
    const read = (digest: string): Buffer => readFileSync(join(blobs, digest.slice('sha256:'.length)));
    const write = (bytes: Buffer, mediaType: string): Descriptor => {
      const digest = `sha256:${sha256(bytes)}`;
      mkdirSync(blobs, { recursive: true });
      writeFileSync(join(blobs, digest.slice('sha256:'.length)), bytes);
      return { mediaType, digest, size: bytes.length };
    };
    const top = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: Descriptor[] };
    const amd = top.manifests[0] as Descriptor;
    const manifest = JSON.parse(read(amd.digest).toString()) as { config: Descriptor; layers: Descriptor[] };
    const config = JSON.parse(read(manifest.config.digest).toString()) as { rootfs: { diff_ids: string[] }; history?: object[] };

    const tar = await layerTar();
    const layer = write(gzipSync(tar), 'application/vnd.oci.image.layer.v1.tar+gzip');
    const armConfig = {
      ...config,
      architecture: 'arm64',
      variant: 'v8',
      rootfs: { ...config.rootfs, diff_ids: [...config.rootfs.diff_ids, `sha256:${sha256(tar)}`] },
      history: [...(config.history ?? []), { created_by: '/bin/sh -c echo arm64 > /etc/arch' }],
    };
    const armManifest = { ...manifest, config: write(Buffer.from(JSON.stringify(armConfig)), manifest.config.mediaType), layers: [...manifest.layers, layer] };
    const arm = write(Buffer.from(JSON.stringify(armManifest)), MANIFEST);
    const platforms = {
      schemaVersion: 2,
      mediaType: INDEX,
      manifests: [
        { ...amd, platform: { os: 'linux', architecture: 'amd64' } },
        { ...arm, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        // Where buildx puts provenance: skipped by readers that choose a platform.
        { ...amd, platform: { os: 'unknown', architecture: 'unknown' }, annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': amd.digest } },
      ],
    };
    const nested = write(Buffer.from(JSON.stringify(platforms)), INDEX);
    writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ ...nested, annotations: { 'org.opencontainers.image.ref.name': 'multi' } }] }));
    await run('skopeo', ['copy', '--quiet', '--all', '--dest-tls-verify=false', ...extraSkopeoArgs, `oci:${dir}:multi`, `docker://${target}`]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function layerTar(): Promise<Buffer> {
  const pack = tarPack();
  pack.entry({ name: 'etc/', type: 'directory', mode: 0o755 });
  pack.entry({ name: ARM_FILE.path, mode: 0o644 }, ARM_FILE.content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
