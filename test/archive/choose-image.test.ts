import { describe, expect, it } from 'vitest';
import { chooseImage, type ReadDocument } from '../../src/archive/choose-image.js';
import { writeImageArchive } from '../../src/archive/write-image-archive.js';
import { InvalidArchiveError, UnknownPlatformError } from '../../src/errors.js';
import { file, parse } from '../helpers/archives.js';

const hex = (c: string) => c.repeat(64);
const reader = (documents: Record<string, unknown>): ReadDocument => async (path) =>
  path in documents ? JSON.stringify(documents[path]) : undefined;
const manifest = { config: { digest: `sha256:${hex('c')}` }, layers: [{ digest: `sha256:${hex('1')}` }] };

describe('choosing the image of an archive', () => {
  it('lists the tags of an OCI layout holding several images, instead of blaming the platform', async () => {
    const archive = await writeImageArchive({
      layout: 'oci',
      images: [
        { layers: [[file('a', '1')]], tags: ['app:1'] },
        { layers: [[file('a', '2')]], tags: ['app:2'] },
      ],
    });
    const error = await parse(archive, { source: 'oci:x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArchiveError);
    expect((error as InvalidArchiveError).message).toBe('oci:x is not a readable image archive: it holds 2 images');
    expect((error as InvalidArchiveError).hint).toBe('name one after the path: oci:PATH:TAG (tags here: app:1, app:2)');
    expect((await parse(archive, { tag: 'app:2' })).tags).toEqual(['app:2']);
  });

  it('matches a tag against the containerd image name annotation, and chooses the platform behind it', async () => {
    const amd = `sha256:${hex('a')}`;
    const arm = `sha256:${hex('b')}`;
    const inner = `sha256:${hex('e')}`;
    const read = reader({
      'index.json': {
        manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: inner, annotations: { 'io.containerd.image.name': 'docker.io/library/app:1' } }],
      },
      [`blobs/sha256/${hex('e')}`]: {
        manifests: [
          { digest: amd, platform: { os: 'linux', architecture: 'amd64' } },
          { digest: arm, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        ],
      },
      [`blobs/sha256/${hex('a')}`]: manifest,
      [`blobs/sha256/${hex('b')}`]: { ...manifest, layers: [] },
    });
    const armChoice = await chooseImage(read, { source: 'oci:x', tag: '1', platform: { os: 'linux', architecture: 'arm64' } });
    expect(armChoice).toEqual({ configPath: `blobs/sha256/${hex('c')}`, layerPaths: [], tags: ['docker.io/library/app:1'], layout: 'oci' });
    const byDefault = await chooseImage(read, { source: 'oci:x', defaultPlatform: { os: 'linux', architecture: 'amd64' } });
    expect(byDefault.layerPaths).toEqual([`blobs/sha256/${hex('1')}`]);
    const missing = await chooseImage(read, { source: 'oci:x', platform: { os: 'linux', architecture: 's390x' } }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(UnknownPlatformError);
    expect((missing as UnknownPlatformError).hint).toBe('choose one with --platform: linux/amd64, linux/arm64/v8');
  });

  it('leaves out an unknown/unknown entry as an attestation, with or without its annotation, as the registry source does', async () => {
    const arm = `sha256:${hex('b')}`;
    const read = reader({
      'index.json': {
        manifests: [
          { digest: arm, platform: { os: 'linux', architecture: 'arm64' } },
          { digest: `sha256:${hex('d')}`, platform: { os: 'unknown', architecture: 'unknown' } },
        ],
      },
      [`blobs/sha256/${hex('b')}`]: manifest,
      [`blobs/sha256/${hex('d')}`]: { ...manifest, layers: [] },
    });
    const choice = await chooseImage(read, { source: 'oci:x', defaultPlatform: { os: 'linux', architecture: 'amd64' } });
    expect(choice.layerPaths).toEqual([`blobs/sha256/${hex('1')}`]);
  });

  it('accepts a sha384 digest, as image references do', async () => {
    const digest = `sha384:${'e'.repeat(96)}`;
    const read = reader({ 'index.json': { manifests: [{ digest }] }, [`blobs/sha384/${'e'.repeat(96)}`]: manifest });
    expect((await chooseImage(read, { source: 'oci:x' })).configPath).toBe(`blobs/sha256/${hex('c')}`);
  });

  it.each([
    ['sha256:../../../x.json', 'index.json: manifests[0].digest: expected sha256:<64 hex>, sha384:<96 hex> or sha512:<128 hex>'],
    [`sha256:${hex('A')}`, 'index.json: manifests[0].digest: expected sha256:<64 hex>, sha384:<96 hex> or sha512:<128 hex>'],
    [`md5:${'0'.repeat(32)}`, 'index.json: manifests[0].digest: expected sha256:<64 hex>, sha384:<96 hex> or sha512:<128 hex>'],
    [42, 'index.json: manifests[0].digest: expected string, received number'],
  ])('accepts only registered digests, never a path: %s', async (digest, problem) => {
    const error = await chooseImage(reader({ 'index.json': { manifests: [{ digest }] } }), { source: 'oci:x' }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`oci:x is not a readable image archive: ${problem}`);
  });

  it('accepts sha512 digests', async () => {
    const read = reader({ 'index.json': { manifests: [{ digest: `sha512:${'f'.repeat(128)}` }] }, [`blobs/sha512/${'f'.repeat(128)}`]: manifest });
    expect((await chooseImage(read, { source: 'oci:x' })).configPath).toBe(`blobs/sha256/${hex('c')}`);
  });
});
