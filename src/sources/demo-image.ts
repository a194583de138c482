// The built-in demo image: a small, made-up image with the problems layerscope exists to find
// (a file deleted in a later layer, a rewrite, a chmod-only rewrite, a replaced directory, a
// hardlink), so that `layerscope --demo` works on a machine with no engine and no images.

import { writeImageArchive, type TarEntrySpec } from '../archive/write-image-archive.js';

const d = (name: string): TarEntrySpec => ({ name: `${name}/`, type: 'directory' });
const f = (name: string, content: string | number, mode = 0o644): TarEntrySpec => ({ name, content, mode });

const layers: TarEntrySpec[][] = [
  [
    d('bin'), f('bin/busybox', 900_000, 0o755), { name: 'bin/sh', type: 'symlink', linkname: 'busybox' },
    d('etc'), f('etc/passwd', 'root:x:0:0:root:/root:/bin/sh\n'), f('etc/os-release', 'NAME="demo"\n'),
    d('var'), d('var/lib'), d('var/lib/apt'), d('var/lib/apt/lists'),
    f('var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4', 8_500_000),
    d('tmp'),
  ],
  [
    d('usr'), d('usr/local'), d('usr/local/bin'), f('usr/local/bin/app', 2_400_000, 0o755),
    { name: 'usr/local/bin/app-hardlink', type: 'link', linkname: 'usr/local/bin/app' },
    d('tmp'), f('tmp/build.tar.gz', 5_000_000),
    d('srv'), d('srv/assets'), f('srv/assets/old.css', 120_000), f('srv/assets/old.js', 300_000),
  ],
  [d('tmp'), { name: 'tmp/.wh.build.tar.gz', content: '' }],
  [d('srv'), d('srv/assets'), { name: 'srv/assets/.wh..wh..opq', content: '' }, f('srv/assets/site.css', 80_000)],
  [d('usr'), d('usr/local'), d('usr/local/bin'), f('usr/local/bin/app', 2_400_000, 0o700)],
  [d('etc'), f('etc/os-release', 'NAME="demo"\nVERSION="2"\n')],
];

const history = [
  { createdBy: '/bin/sh -c #(nop) ADD file:4b1f0c in / ' },
  { createdBy: '/bin/sh -c #(nop)  CMD ["sh"]', emptyLayer: true },
  { createdBy: '/bin/sh -c wget -O /tmp/build.tar.gz https://example.invalid/app.tgz && make install' },
  { createdBy: '/bin/sh -c rm /tmp/build.tar.gz' },
  { createdBy: '/bin/sh -c rm -rf /srv/assets && mkdir -p /srv/assets && cp site.css /srv/assets/' },
  { createdBy: '/bin/sh -c chmod 700 /usr/local/bin/app' },
  { createdBy: '/bin/sh -c #(nop)  ENV VERSION=2', emptyLayer: true },
  { createdBy: '/bin/sh -c echo \'VERSION="2"\' >> /etc/os-release' },
];

export async function demoArchive(): Promise<Buffer> {
  return writeImageArchive({
    layout: 'docker-save',
    images: [{ layers, history, tags: ['layerscope/demo:latest'], labels: { 'org.opencontainers.image.title': 'layerscope demo' } }],
  });
}
