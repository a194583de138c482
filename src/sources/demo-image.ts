// The built-in demo image: a small, made-up image with the problems layerscope exists to find
// (apt caches, a compiler, a .git directory, files deleted or rewritten in later layers, a
// chmod-only copy, a replaced directory, a hardlink), so that `layerscope --demo` works on a
// machine with no engine and no images.

import { writeImageArchive, type TarEntrySpec } from '../archive/write-image-archive.js';

const d = (name: string): TarEntrySpec => ({ name: `${name}/`, type: 'directory' });
const f = (name: string, content: string | number, mode = 0o644): TarEntrySpec => ({ name, content, mode });

const layers: TarEntrySpec[][] = [
  [
    d('bin'), f('bin/busybox', 900_000, 0o755), { name: 'bin/sh', type: 'symlink', linkname: 'busybox' },
    d('etc'), f('etc/passwd', 'root:x:0:0:root:/root:/bin/sh\n'), f('etc/os-release', 'NAME="demo"\n'),
    d('usr'), d('usr/share'), d('usr/share/doc'), d('usr/share/doc/busybox'), f('usr/share/doc/busybox/copyright', 6_000),
    d('tmp'),
  ],
  [
    d('var'), d('var/lib'), d('var/lib/apt'), d('var/lib/apt/lists'),
    f('var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4', 8_500_000),
    d('var/cache'), d('var/cache/apt'), d('var/cache/apt/archives'), f('var/cache/apt/archives/gcc-12_12.2.0-14_amd64.deb', 3_000_000),
    d('usr'), d('usr/bin'), f('usr/bin/gcc-12', 1_000_000, 0o755), f('usr/bin/make', 250_000, 0o755),
    d('usr/lib'), d('usr/lib/gcc'), d('usr/lib/gcc/x86_64-linux-gnu'), d('usr/lib/gcc/x86_64-linux-gnu/12'),
    f('usr/lib/gcc/x86_64-linux-gnu/12/cc1', 25_000_000, 0o755),
    d('usr/include'), f('usr/include/stdio.h', 30_000),
  ],
  [
    d('src'), f('src/main.c', 4_000), f('src/.env', 'API_TOKEN=not-a-real-token\n', 0o600),
    d('src/.git'), d('src/.git/objects'), d('src/.git/objects/pack'), f('src/.git/objects/pack/pack-1a2b.pack', 1_200_000),
  ],
  [
    d('app'), f('app/server', 2_400_000, 0o755), f('app/helper', 300_000, 0o755),
    { name: 'app/helper-hardlink', type: 'link', linkname: 'app/helper' },
    d('tmp'), f('tmp/build.tar.gz', 5_000_000),
    d('srv'), d('srv/assets'), f('srv/assets/old.css', 120_000), f('srv/assets/old.js', 300_000),
  ],
  [d('tmp'), { name: 'tmp/.wh.build.tar.gz', content: '' }],
  [d('srv'), d('srv/assets'), { name: 'srv/assets/.wh..wh..opq', content: '' }, f('srv/assets/site.css', 80_000)],
  [d('app'), f('app/server', 2_400_000, 0o700)],
  [d('etc'), f('etc/os-release', 'NAME="demo"\nVERSION="2"\n')],
];

const history = [
  { createdBy: '/bin/sh -c #(nop) ADD file:4b1f0c3e in / ' },
  { createdBy: '/bin/sh -c #(nop)  CMD ["sh"]', emptyLayer: true },
  { createdBy: '/bin/sh -c apt-get update && apt-get install -y gcc make' },
  { createdBy: '/bin/sh -c #(nop) COPY dir:9f8e7d6c in /src ' },
  { createdBy: '/bin/sh -c make -C /src && wget -O /tmp/build.tar.gz https://example.invalid/assets.tgz && tar -xzf /tmp/build.tar.gz -C /srv' },
  { createdBy: '/bin/sh -c rm /tmp/build.tar.gz' },
  { createdBy: '/bin/sh -c rm -rf /srv/assets && mkdir -p /srv/assets && cp /src/site.css /srv/assets/' },
  { createdBy: '/bin/sh -c chmod 700 /app/server' },
  { createdBy: '/bin/sh -c #(nop)  ENV VERSION=2', emptyLayer: true },
  { createdBy: '/bin/sh -c echo \'VERSION="2"\' >> /etc/os-release' },
];

export async function demoArchive(): Promise<Buffer> {
  return writeImageArchive({
    layout: 'docker-save',
    images: [{ layers, history, tags: ['layerscope/demo:latest'], labels: { 'org.opencontainers.image.title': 'layerscope demo' } }],
  });
}
