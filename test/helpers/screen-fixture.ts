// An image made to strain the explorer's layout: long instructions (a RUN of 700 characters,
// a COPY from a content hash), a tree 24 folders deep with long names, a chmod-only layer,
// symlinks, and enough layers and findings to scroll every pane.
import type { TarEntrySpec } from '../../src/archive/write-image-archive.js';
import { dir, file } from './archives.js';

const deep = Array.from({ length: 24 }, (_, i) => `level-${String(i).padStart(2, '0')}-with-a-rather-long-folder-name`);
const deepDirs = deep.map((_, i) => dir(`opt/${deep.slice(0, i + 1).join('/')}`));

export const LONG_RUN = `RUN set -eux; apt-get update && apt-get install -y --no-install-recommends ${Array.from({ length: 40 }, (_, i) => `package-number-${i}`).join(' ')} && rm -rf /var/lib/apt/lists/* && echo the-end-of-the-long-instruction`;
export const COPY_HASH = `COPY dir:95ee1d5e8a7bc4f0${'0123456789abcdef'.repeat(3)} in /opt/venv`;

export const screenLayers: TarEntrySpec[][] = [
  [dir('bin'), file('bin/busybox', 900_000, 0o755), { name: 'bin/sh', type: 'symlink', linkname: 'busybox' }, dir('etc'), file('etc/os-release', 'NAME="screen"\n'), dir('tmp')],
  [dir('var'), dir('var/lib'), dir('var/lib/apt'), dir('var/lib/apt/lists'), file('var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages', 9_000_000), dir('usr'), dir('usr/bin'), file('usr/bin/gcc-12', 1_000_000, 0o755)],
  [dir('opt'), dir('opt/venv'), dir('opt/venv/lib'), file('opt/venv/lib/site.py', 4_000)],
  [dir('opt'), ...deepDirs, file(`opt/${deep.join('/')}/leaf-file-at-the-bottom-of-the-deep-tree.txt`, 12_345)],
  [dir('usr'), dir('usr/bin'), file('usr/bin/gcc-12', 1_000_000, 0o700)],
  ...Array.from({ length: 10 }, (_, i): TarEntrySpec[] => [dir('srv'), file(`srv/file-${i}.bin`, 1000 * (i + 1))]),
];

export const screenHistory = [
  { createdBy: '/bin/sh -c #(nop) ADD file:4b1f0c3e in / ' },
  { createdBy: `/bin/sh -c ${LONG_RUN.slice(4)}` },
  { createdBy: `/bin/sh -c #(nop) ${COPY_HASH} ` },
  { createdBy: '/bin/sh -c mkdir -p /opt/deep && touch /opt/deep/leaf' },
  { createdBy: '/bin/sh -c chmod 700 /usr/bin/gcc-12' },
  ...Array.from({ length: 10 }, (_, i) => ({ createdBy: `/bin/sh -c echo ${i} > /srv/file-${i}.bin` })),
];
