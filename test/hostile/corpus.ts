// The hostile corpus: malformed image archives in both layouts (docker save's and OCI's), each
// with the outcome layerscope owes it — a correct report (exit 0) or a one-line error and a hint
// (exit 2). Written from code, so CI builds it fresh; corpus.test.ts runs the CLI on each.

import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { writeLayerTar, zstdFrame, type TarEntrySpec } from '../../src/archive/write-image-archive.js';

export type Layout = 'docker-save' | 'oci';

/** A file of a layout directory: its bytes, a symlink, or a FIFO. */
export type DirectoryFile = Buffer | { readonly symlink: string } | 'fifo';

export interface CorpusCase {
  readonly name: string;
  /** The archive's bytes; undefined: `path` names an existing file (such as /dev/zero), or `directory` is given. */
  readonly bytes?: Buffer;
  /** A dir: layout directory's files by name, read as dir:PATH. */
  readonly directory?: Readonly<Record<string, DirectoryFile>>;
  readonly path?: string;
  readonly args?: readonly string[];
  /** 0: a report, checked by `report`; 2: an error whose first line matches `message`. */
  readonly exit: 0 | 2;
  readonly message?: RegExp;
  /** Checks on the JSON report of a case that must read. */
  readonly report?: (report: JsonReport) => void;
}

export interface JsonReport {
  readonly layers: readonly { readonly bytes: number }[];
  readonly [key: string]: unknown;
}

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

/** One 512-byte ustar header, by hand: for what tar-stream will not write (GNU names, huge sizes, bad sums). */
export function rawHeader(spec: { name: string; type?: string; size?: number; sizeField?: Buffer; linkname?: string; checksum?: 'bad' }): Buffer {
  const block = Buffer.alloc(512);
  block.write(spec.name.slice(0, 100), 0, 'utf8');
  block.write('0000644\0', 100);
  block.write('0000000\0', 108);
  block.write('0000000\0', 116);
  if (spec.sizeField) spec.sizeField.copy(block, 124);
  else block.write(`${(spec.size ?? 0).toString(8).padStart(11, '0')}\0`, 124);
  block.write('00000000000\0', 136);
  block.write(spec.type ?? '0', 156);
  if (spec.linkname) block.write(spec.linkname, 157);
  block.write('ustar\0', 257);
  block.write('00', 263);
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${(spec.checksum === 'bad' ? sum + 1 : sum).toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}

const pad = (data: Buffer): Buffer => Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
const END = Buffer.alloc(1024);

interface Image {
  readonly layers: readonly Buffer[];
  /** Changes to the documents, by JSON value: whatever shape a hostile archive may hold. */
  readonly config?: (config: Record<string, unknown>) => unknown;
  readonly manifest?: (manifest: Record<string, unknown>) => unknown;
  readonly index?: (index: Record<string, unknown>) => unknown;
  readonly compress?: (tar: Buffer) => Buffer;
}

function baseConfig(layers: readonly Buffer[]): Record<string, unknown> {
  return {
    architecture: 'amd64',
    os: 'linux',
    config: { Labels: { a: 'b' } },
    rootfs: { type: 'layers', diff_ids: layers.map((tar) => `sha256:${sha256(tar)}`) },
    history: layers.map((_, i) => ({ created_by: `/bin/sh -c #(nop) layer ${i}` })),
  };
}

/** An archive in either layout from layer tars, each document passed through its change. */
export async function archive(layout: Layout, image: Image): Promise<Buffer> {
  const compress = image.compress ?? ((tar: Buffer) => tar);
  const config = json((image.config ?? ((c) => c))(baseConfig(image.layers)));
  const members: TarEntrySpec[] = [];
  if (layout === 'docker-save') {
    const paths = image.layers.map((tar, i) => {
      members.push({ name: `layer${i}/layer.tar`, content: compress(tar) });
      return `layer${i}/layer.tar`;
    });
    members.push({ name: 'config.json', content: config });
    members.push({ name: 'manifest.json', content: json([(image.manifest ?? ((m) => m))({ Config: 'config.json', RepoTags: ['hostile:1'], Layers: paths })]) });
  } else {
    const blobs = image.layers.map((tar) => compress(tar));
    for (const blob of blobs) members.push({ name: `blobs/sha256/${sha256(blob)}`, content: blob });
    members.push({ name: `blobs/sha256/${sha256(config)}`, content: config });
    const manifest = json(
      (image.manifest ?? ((m) => m))({
        schemaVersion: 2,
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${sha256(config)}`, size: config.length },
        layers: blobs.map((blob) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: `sha256:${sha256(blob)}`, size: blob.length })),
      }),
    );
    members.push({ name: `blobs/sha256/${sha256(manifest)}`, content: manifest });
    const index = { schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${sha256(manifest)}`, size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': 'hostile:1' } }] };
    members.push({ name: 'index.json', content: json((image.index ?? ((i) => i))(index)) });
    members.push({ name: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' });
  }
  return writeLayerTar(members);
}

const layer = (entries: readonly TarEntrySpec[]): Promise<Buffer> => writeLayerTar(entries);
const f = (name: string, content: string | number = 'x'): TarEntrySpec => ({ name, content });

/** Cases whose documents or blobs are wrong: each must be exit 2 with its reason. */
async function documentCases(layout: Layout): Promise<CorpusCase[]> {
  const one = [await layer([f('etc/a')])];
  const bad = (name: string, image: Omit<Image, 'layers'>, message: RegExp): Promise<CorpusCase> => archive(layout, { layers: one, ...image }).then((bytes) => ({ name, bytes, exit: 2, message }));
  const legacy = layout === 'docker-save';
  const cases = [
    bad('history not an array', { config: (c) => ({ ...c, history: 'no' }) }, /history: expected array, received string/),
    bad('a null history step', { config: (c) => ({ ...c, history: [null] }) }, /history\[0\]: expected object, received null/),
    bad('created_by a number', { config: (c) => ({ ...c, history: [{ created_by: 7 }] }) }, /history\[0\]\.created_by: expected string, received number/),
    bad('os a number', { config: (c) => ({ ...c, os: 1 }) }, /: os: expected string, received number/),
    bad('a non-string label', { config: (c) => ({ ...c, config: { Labels: { a: 1 } } }) }, /config\.Labels\.a: expected string, received number/),
    bad('diff_ids not digests', { config: (c) => ({ ...c, rootfs: { diff_ids: ['../../x'] } }) }, /rootfs\.diff_ids\[0\]: expected sha256/),
    bad('fewer diff IDs than layers', { config: (c) => ({ ...c, rootfs: { diff_ids: [] } }) }, /lists 1 layers but the config has 0 diff IDs/),
    bad('a layer that does not match its diff ID', { config: (c) => ({ ...c, rootfs: { diff_ids: [`sha256:${'0'.repeat(64)}`] } }) }, /content hashes to sha256:[0-9a-f]{64}, but the image expects/),
    bad('a config that is a JSON string', { config: () => '{' }, /the document: expected object, received string|does not contain the image config/),
  ];
  if (legacy) {
    cases.push(
      bad('a null manifest entry', { manifest: () => null }, /manifest\.json: \[0\]: expected object, received null/),
      bad('RepoTags a string', { manifest: (m) => ({ ...m, RepoTags: 'hostile:1' }) }, /manifest\.json: \[0\]\.RepoTags: expected array, received string/),
      bad('Layers escaping the archive', { manifest: (m) => ({ ...m, Layers: ['../../../etc/passwd'] }) }, /does not contain the layer blob \.\.\/\.\.\/\.\.\/etc\/passwd/),
      bad('a numeric layer path', { manifest: (m) => ({ ...m, Layers: [5] }) }, /manifest\.json: \[0\]\.Layers\[0\]: expected string, received number/),
    );
  } else {
    cases.push(
      bad('manifests a string', { index: (i) => ({ ...i, manifests: 'x' }) }, /index\.json: manifests: expected array, received string/),
      bad('a null item in manifests', { index: (i) => ({ ...i, manifests: [null] }) }, /index\.json: manifests\[0\]: expected object, received null/),
      bad('a numeric digest', { index: (i) => ({ ...i, manifests: [{ digest: 1 }] }) }, /index\.json: manifests\[0\]\.digest: expected string, received number/),
      bad('a digest that climbs out of the layout', { index: (i) => ({ ...i, manifests: [{ digest: 'sha256:../../../x.json' }] }) }, /manifests\[0\]\.digest: expected sha256:<64 hex>, sha384:<96 hex> or sha512:<128 hex>/),
      bad('a null item in layers', { manifest: (m) => ({ ...m, layers: [null] }) }, /layers\[0\]: expected object, received null/),
      bad('an index that points at itself', { index: (i) => ({ ...i, manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: `sha256:${'1'.repeat(64)}` }] }) }, /does not contain the image manifest blob/),
      bad('a missing layer blob', { manifest: (m) => ({ ...m, layers: [{ digest: `sha256:${'2'.repeat(64)}` }] }) }, /does not contain the layer blob blobs\/sha256\/2{64}/),
    );
  }
  return Promise.all(cases);
}

/** Layers of odd but legal tar: each must read, with the figures a reader can check by hand. */
async function layerCases(layout: Layout): Promise<CorpusCase[]> {
  const readable = async (name: string, layers: readonly Buffer[], report?: CorpusCase['report'], compress?: Image['compress']): Promise<CorpusCase> => ({
    name,
    bytes: await archive(layout, { layers, ...(compress ? { compress } : {}) }),
    exit: 0,
    ...(report ? { report } : {}),
  });
  const bytesOf = (expected: number[]) => (report: JsonReport): void => {
    if (JSON.stringify(report.layers.map((l) => l.bytes)) !== JSON.stringify(expected)) {
      throw new Error(`layer bytes ${JSON.stringify(report.layers.map((l) => l.bytes))}, expected ${JSON.stringify(expected)}`);
    }
  };
  const longName = `${'deep/'.repeat(60)}file`;
  const gnuLong = pad(Buffer.from(`gnu/${'n'.repeat(200)}\0`));
  const gnuLayer = Buffer.concat([rawHeader({ name: '././@LongLink', type: 'L', size: gnuLong.length }), gnuLong, rawHeader({ name: 'gnu/short', size: 3 }), pad(Buffer.from('abc')), END]);
  const paxGlobal = pad(Buffer.from('21 comment=hostile!!\n'));
  const paxLayer = Buffer.concat([rawHeader({ name: 'pax_global_header', type: 'g', size: 21 }), paxGlobal, rawHeader({ name: 'p', size: 2 }), pad(Buffer.from('hi')), END]);
  // tar-stream reads no content for a directory whatever its size field, and (reading the type
  // before the name) never takes a trailing slash for a directory: a walk must do the same.
  const sizedDir = Buffer.concat([rawHeader({ name: 'd', type: '5', size: 700 }), rawHeader({ name: 'd/f', size: 3 }), pad(Buffer.from('abc')), END]);
  const slashFile = Buffer.concat([rawHeader({ name: 'old/', size: 3 }), pad(Buffer.from('abc')), rawHeader({ name: 'x', size: 2 }), pad(Buffer.from('xy')), END]);
  return Promise.all([
    readable('a directory with a size field', [sizedDir], bytesOf([3])),
    // The same in the outer archive, first: tar-stream's stream of such a directory never ends if read.
    archive(layout, { layers: [await layer([f('a', 'abc')])] }).then((bytes): CorpusCase => ({
      name: 'an outer directory member with a size field',
      bytes: Buffer.concat([rawHeader({ name: 'odd', type: '5', size: 700 }), bytes]),
      exit: 0,
      report: bytesOf([3]),
    })),
    readable('a file whose name ends with a slash', [slashFile], bytesOf([5])),
    readable('pax long names', [await layer([f(longName, 'abcd')])], bytesOf([4])),
    readable('a GNU long name', [gnuLayer], bytesOf([3])),
    readable('a pax global header', [paxLayer], bytesOf([2])),
    readable('a hardlink loop', [await layer([{ name: 'a', type: 'link', linkname: 'b' }, { name: 'b', type: 'link', linkname: 'a' }, f('c', 'xyz')])], bytesOf([3])),
    readable('a hardlink to nothing', [await layer([{ name: 'a', type: 'link', linkname: 'nowhere' }])], bytesOf([0])),
    readable('a whiteout of the root', [await layer([f('x', 'aa')]), await layer([{ name: '.wh..wh..opq', content: '' }, { name: '.wh.', content: '' }])], bytesOf([2, 0])),
    readable('symlink then a child through it', [await layer([{ name: 'etc', type: 'symlink', linkname: '/tmp' }, f('etc/passwd', 'root')])], bytesOf([4])),
    readable('names that climb above the root', [await layer([f('../../../escape', 'e'), f('./a/../../b', 'bb')])], bytesOf([3])),
    readable('a name with escape sequences', [await layer([f('\u001b]0;pwned\u0007\u001b[2J', 'q')])], (report) => {
      if (JSON.stringify(report).includes('\u001b')) throw new Error('a raw ESC reached the report');
    }),
    readable('the same path twice in a layer', [await layer([f('dup', 'one'), f('dup', 'three')])], bytesOf([8])),
    readable('a fifo and a directory entry', [await layer([{ name: 'p', type: 'fifo' }, { name: 'd/', type: 'directory' }])], bytesOf([0])),
    readable('a gzip layer', [await layer([f('g', 'gg')])], bytesOf([2]), (tar) => gzipSync(tar)),
    readable('a zstd layer', [await layer([f('z', 'zzz')])], bytesOf([3]), (tar) => zstdFrame(tar)),
  ]);
}

/** Blobs and archives that are broken as bytes: exit 2 with the reason. */
async function byteCases(layout: Layout): Promise<CorpusCase[]> {
  const valid = await archive(layout, { layers: [await layer([f('a', 'x'.repeat(5000))])] });
  const hugeSize = Buffer.alloc(12);
  hugeSize[0] = 0x80;
  hugeSize.writeUInt32BE(0xffffffff, 8);
  hugeSize.writeUInt32BE(0x00ffffff, 4);
  const huge = Buffer.concat([rawHeader({ name: 'huge', sizeField: hugeSize }), Buffer.alloc(512, 1), END]);
  const badSum = Buffer.concat([rawHeader({ name: 'a', size: 1, checksum: 'bad' }), pad(Buffer.from('a')), END]);
  const gz = gzipSync(await layer([f('a', 'x'.repeat(4000))]));
  for (let i = 20; i < 40; i++) gz[i] = (gz[i] ?? 0) ^ 0xff;
  const cases: CorpusCase[] = [
    { name: 'the archive cut in half', bytes: valid.subarray(0, Math.floor(valid.length / 2)), exit: 2, message: /truncated|ends (early|inside)/ },
    { name: 'a gzip\'d archive cut short', bytes: gzipSync(valid).subarray(0, 300), exit: 2, message: /truncated|ends early|compressed data is corrupt|ends inside/ },
    { name: 'a layer with a huge size field', bytes: await archive(layout, { layers: [huge] }), exit: 2, message: /truncated or corrupt|layer/ },
    { name: 'a layer with a bad header checksum', bytes: await archive(layout, { layers: [badSum] }), exit: 2, message: /truncated or corrupt/ },
    { name: 'a corrupt gzip layer', bytes: await archive(layout, { layers: [gz] }), exit: 2, message: /truncated or corrupt/ },
    { name: 'a layer that is not a tar', bytes: await archive(layout, { layers: [Buffer.from('#!/bin/sh\necho not a tar\n'.repeat(40))] }), exit: 2, message: /not a tar, gzip or zstd blob|truncated or corrupt/ },
    {
      name: 'more entries than --max-entries',
      bytes: await archive(layout, { layers: [await layer(Array.from({ length: 3000 }, (_, i) => f(`many/${i}`, '')))] }),
      args: ['--max-entries', '500'],
      exit: 2,
      message: /has more than 500 entries .*the limit --max-entries set/,
    },
  ];
  return cases;
}

/** Archives that are not archives at all: the same whatever the layout. */
async function notArchives(): Promise<CorpusCase[]> {
  const outerHuge = Buffer.alloc(12);
  outerHuge[0] = 0x80;
  outerHuge.writeUInt32BE(0x7fffffff, 8);
  return [
    { name: 'an empty file', bytes: Buffer.alloc(0), exit: 2, message: /it is empty/ },
    { name: 'random bytes', bytes: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)), exit: 2, message: /not a tar archive/ },
    { name: 'a JSON file', bytes: Buffer.from('{"not":"an archive"}'), exit: 2, message: /not a tar archive/ },
    { name: 'only the end-of-archive marker', bytes: END, exit: 2, message: /empty or not a tar archive/ },
    { name: 'a bad outer header checksum', bytes: Buffer.concat([rawHeader({ name: 'manifest.json', size: 2, checksum: 'bad' }), pad(Buffer.from('[]')), END]), exit: 2, message: /not a tar archive/ },
    { name: 'a tar of neither layout', bytes: await writeLayerTar([f('hello.txt', 'hi')]), exit: 2, message: /neither manifest\.json nor index\.json/ },
    { name: 'an outer member with a huge size', bytes: Buffer.concat([rawHeader({ name: 'x', sizeField: outerHuge }), Buffer.alloc(2048, 7)]), exit: 2, message: /truncated|ends (early|inside)/ },
    { name: 'docker-archive:/dev/zero', path: '/dev/zero', exit: 2, message: /empty or not a tar archive/ },
  ];
}

/** skopeo's dir: layout (podman's docker-dir): manifest.json, blobs named by hex, a version file. */
export function dirLayout(image: Image): Record<string, DirectoryFile> {
  const compress = image.compress ?? ((tar: Buffer) => tar);
  const config = json((image.config ?? ((c) => c))(baseConfig(image.layers)));
  const blobs = image.layers.map((tar) => compress(tar));
  const files: Record<string, DirectoryFile> = { version: Buffer.from('Directory Transport Version: 1.1\n'), [sha256(config)]: config };
  for (const blob of blobs) files[sha256(blob)] = blob;
  files['manifest.json'] = json(
    (image.manifest ?? ((m) => m))({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', digest: `sha256:${sha256(config)}`, size: config.length },
      layers: blobs.map((blob) => ({ mediaType: 'application/vnd.docker.image.rootfs.diff.tar', digest: `sha256:${sha256(blob)}`, size: blob.length })),
    }),
  );
  return files;
}

/** dir: layouts: names from the image are validated as in an OCI layout; only regular files inside are read. */
async function dirCases(): Promise<CorpusCase[]> {
  const layers = [await layer([f('etc/a', 'abc')])];
  const hex = sha256(layers[0] as Buffer);
  const valid = dirLayout({ layers });
  const bad = (name: string, directory: Record<string, DirectoryFile>, message: RegExp): CorpusCase => ({ name, directory, exit: 2, message });
  const without = (name: string): Record<string, DirectoryFile> => Object.fromEntries(Object.entries(valid).filter(([key]) => key !== name));
  const bytesOf = (expected: number[]) => (report: JsonReport): void => {
    if (JSON.stringify(report.layers.map((l) => l.bytes)) !== JSON.stringify(expected)) throw new Error(`layer bytes ${JSON.stringify(report.layers.map((l) => l.bytes))}`);
  };
  return [
    { name: 'a valid layout', directory: valid, exit: 0, report: bytesOf([3]) },
    { name: 'a gzip layer', directory: dirLayout({ layers, compress: (tar) => gzipSync(tar) }), exit: 0, report: bytesOf([3]) },
    bad('a digest that climbs out of the layout', dirLayout({ layers, manifest: (m) => ({ ...m, config: { digest: 'sha256:../../../etc/passwd' } }) }), /manifest\.json: config\.digest: expected sha256:<64 hex>/),
    bad('layers a string', dirLayout({ layers, manifest: (m) => ({ ...m, layers: 'x' }) }), /manifest\.json: layers: expected array, received string/),
    bad('a list of several images', dirLayout({ layers, manifest: () => ({ schemaVersion: 2, manifests: [{ digest: `sha256:${'3'.repeat(64)}` }] }) }), /manifest\.json is a list of several images/),
    bad('a layer that is a symlink out of the layout', { ...valid, [hex]: { symlink: '/etc/passwd' } }, new RegExp(`does not contain the layer blob ${hex}`)),
    bad('a layer that is a FIFO', { ...valid, [hex]: 'fifo' }, new RegExp(`does not contain the layer blob ${hex}`)),
    bad('a missing config', without(Object.keys(valid)[1] as string), /does not contain the image config blob [0-9a-f]{64}/),
    bad('no version file', without('version'), /no image layout: it has neither index\.json \(OCI\) nor manifest\.json and version/),
    bad('a manifest.json over 16 MB', { ...valid, 'manifest.json': Buffer.concat([Buffer.from('{'), Buffer.alloc(17 * 1024 * 1024, 0x20), Buffer.from('}')]) }, /neither manifest\.json nor index\.json/),
    bad('a layer that does not match its diff ID', dirLayout({ layers, config: (c) => ({ ...c, rootfs: { diff_ids: [`sha256:${'0'.repeat(64)}`] } }) }), /content hashes to sha256:[0-9a-f]{64}, but the image expects/),
  ];
}

export async function hostileCorpus(): Promise<CorpusCase[]> {
  const cases: CorpusCase[] = [...(await notArchives())];
  for (const found of await dirCases()) cases.push({ ...found, name: `docker-dir: ${found.name}` });
  for (const layout of ['docker-save', 'oci'] as const) {
    for (const found of [...(await documentCases(layout)), ...(await layerCases(layout)), ...(await byteCases(layout))]) {
      cases.push({ ...found, name: `${layout}: ${found.name}` });
    }
  }
  return cases;
}
