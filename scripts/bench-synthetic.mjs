// Writes the scale benchmark's synthetic image: one layer of N empty files (a thousand to a
// directory), as a gzip-compressed `docker save` file (legacy layout). The layer tar is
// generated twice — once to hash it for the config's diff ID, once into the archive — so
// nothing but the gzip output touches the disk, however many entries (3M entries are a 1.5 GB
// tar, about 20 MB compressed).
//
//   node scripts/bench-synthetic.mjs N OUT.tar.gz

import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { createRequire } from 'node:module';
import tarStream from 'tar-stream';

const require = createRequire(import.meta.url);
/** tar-stream's header encoder, which its package does not export by name. */
const headers = require(require.resolve('tar-stream').replace(/index\.js$/, 'headers.js'));

const TAR_BLOCK = 512;
const PER_DIR = 1000;

const dirName = (d) => `many/d${d}`;
const fileName = (i) => `many/d${Math.floor(i / PER_DIR)}/e${i}`;
const header = (name, type) => ({ name, type, typeflag: type === 'directory' ? 5 : 0, mode: type === 'directory' ? 0o755 : 0o644, uid: 0, gid: 0, mtime: new Date(0), size: 0 });

/**
 * The layer tar, a directory's worth of headers at a time: the directory, then its files; names
 * stay under 100 bytes (no pax). Headers come from tar-stream's own encoder (its pack() would
 * take minutes for millions of entries).
 */
async function* layerTar(entries) {
  const encode = (name, type) => headers.encode(header(name, type));
  yield encode('many', 'directory');
  for (let d = 0; d * PER_DIR < entries; d++) {
    const blocks = [encode(dirName(d), 'directory')];
    for (let i = d * PER_DIR; i < Math.min(entries, (d + 1) * PER_DIR); i++) blocks.push(encode(fileName(i), 'file'));
    yield Buffer.concat(blocks);
  }
  yield Buffer.alloc(2 * TAR_BLOCK);
}

/** Bytes of the layer tar: a header per entry (no content), and tar-stream's two end blocks. */
const layerTarBytes = (entries) => (1 + Math.ceil(entries / PER_DIR) + entries) * TAR_BLOCK + 2 * TAR_BLOCK;

export async function writeSyntheticImage(entries, out) {
  const hash = createHash('sha256');
  let hashed = 0;
  for await (const chunk of layerTar(entries)) {
    hash.update(chunk);
    hashed += chunk.length;
  }
  if (hashed !== layerTarBytes(entries)) throw new Error(`layer tar is ${hashed} bytes, expected ${layerTarBytes(entries)}`);
  const diffId = `sha256:${hash.digest('hex')}`;
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: { Env: ['BENCH=empty'] },
    rootfs: { type: 'layers', diff_ids: [diffId] },
    history: [{ created_by: `/bin/sh -c # ${entries} empty files` }],
  });
  const configName = `${createHash('sha256').update(config).digest('hex')}.json`;
  const layerName = `${diffId.slice(7)}/layer.tar`;
  const manifest = JSON.stringify([{ Config: configName, RepoTags: [`layerscope-bench/empty:${entries}`], Layers: [layerName] }]);

  const outer = tarStream.pack();
  const writing = pipeline(outer, createGzip({ level: 1 }), createWriteStream(`${out}.partial`));
  outer.entry({ name: `${diffId.slice(7)}/`, type: 'directory' });
  const member = outer.entry({ name: layerName, size: layerTarBytes(entries) });
  await pipeline(Readable.from(layerTar(entries)), member);
  outer.entry({ name: configName }, config);
  outer.entry({ name: 'manifest.json' }, manifest);
  outer.finalize();
  await writing;
  await rename(`${out}.partial`, out);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [entries, out] = process.argv.slice(2);
  await writeSyntheticImage(Number(entries), out);
}
