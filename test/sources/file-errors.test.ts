// Files the user names that cannot be read or written, met as a user meets them: the real
// executable run as `nobody` (the suite runs as root, whom permissions do not stop) on a root-only
// `docker save` file, a file in a root-only directory, a directory, an -o into a directory it may
// not write, and a real input/output error from the kernel. Each: exit 2, one line, a hint.

import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeImageArchive } from '../../src/archive/write-image-archive.js';
import { file } from '../helpers/archives.js';
import { BIN } from '../helpers/run-bin.js';

const dir = mkdtempSync(join(tmpdir(), 'layerscope-file-errors-'));

/** The executable as the unprivileged user `nobody`, in `dir`. */
function asNobody(...args: string[]) {
  const result = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, BIN, ...args, '--report', 'json', '--no-progress'], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr, error: result.error };
}

function expectError(result: ReturnType<typeof asNobody>, message: RegExp, hint: RegExp): void {
  expect(result.error).toBeUndefined();
  expect(result.signal).toBeNull();
  expect(result.status, result.stderr).toBe(2);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(2);
  expect(lines[0]).toMatch(message);
  expect(lines[1]).toMatch(hint);
  expect(result.stdout).toBe('');
}

beforeAll(async () => {
  expect(process.getuid?.(), 'these tests make files only root may read, so they run as root').toBe(0);
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'image.tar'), await writeImageArchive({ layout: 'docker-save', images: [{ layers: [[file('etc/motd', 'hello')]] }] }));
  chmodSync(join(dir, 'image.tar'), 0o644);
  // What `sudo docker save -o root.tar` leaves: a file only root may read.
  copyFileSync(join(dir, 'image.tar'), join(dir, 'root.tar'));
  chmodSync(join(dir, 'root.tar'), 0o600);
  mkdirSync(join(dir, 'private'), { mode: 0o700 });
  copyFileSync(join(dir, 'image.tar'), join(dir, 'private', 'image.tar'));
  mkdirSync(join(dir, 'not-writable'), { mode: 0o755 });
  // nobody must reach the executable and Node for these runs to mean anything.
  const control = asNobody(`docker-archive:${join(dir, 'image.tar')}`);
  expect(control.stderr).toBe('');
  expect(control.status).toBe(0);
}, 120_000);

describe('files that cannot be read or written, as an unprivileged user', () => {
  it('names a root-only docker save file as permission denied, and says how to own it (EACCES)', () => {
    expectError(asNobody(`docker-archive:${join(dir, 'root.tar')}`), /^layerscope: cannot read .*\/root\.tar: permission denied$/, /^hint: a `sudo docker save -o` file belongs to root: `sudo chown \$USER FILE`/);
  });

  it('names a file inside a directory it may not enter as permission denied (EACCES on the path)', () => {
    expectError(asNobody(`docker-archive:${join(dir, 'private', 'image.tar')}`), /^layerscope: cannot read .*\/private\/image\.tar: permission denied$/, /^hint: /);
  });

  it('says a directory is not a docker save archive and points at oci: (EISDIR)', () => {
    expectError(asNobody(`docker-archive:${dir}`), /^layerscope: .* is a directory, not a docker save archive$/, /^hint: for an image layout directory use oci:.* \(OCI\) or dir:.* \(skopeo's dir:\)$/);
  });

  it('refuses -o into a directory it may not write, before reading the image, and writes nothing', () => {
    // /dev/zero would be an error of its own: the -o error comes first, so -o was checked first.
    const out = join(dir, 'not-writable', 'report.json');
    expectError(asNobody('docker-archive:/dev/zero', '-o', out), /^layerscope: cannot write .*\/not-writable\/report\.json: permission denied in .*\/not-writable$/, /^hint: check that the directory exists and is writable$/);
    expect(readdirSync(join(dir, 'not-writable'))).toEqual([]);
  });

  it('refuses -o naming a directory (EISDIR)', () => {
    expectError(asNobody(`docker-archive:${join(dir, 'image.tar')}`, '-o', join(dir, 'not-writable')), /^layerscope: cannot write .*\/not-writable: that is a directory; give a file name$/, /^hint: /);
  });

  it('names an input/output error as one (EIO, from the kernel: reading /proc/self/mem at address 0)', () => {
    // No device-mapper "error" target or FUSE file system is needed: the kernel answers a read of
    // a process's own memory at an unmapped address with EIO, the same errno a failing disk gives.
    expectError(asNobody('docker-archive:/proc/self/mem'), /^layerscope: cannot read \/proc\/self\/mem: an input\/output error/, /^hint: check the file and the disk it is on/);
  });
});
