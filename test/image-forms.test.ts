// Names that are no image, and sources that fail in ways a user must be told plainly (issue 11, item 7).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin, runBinAsync, type BinResult } from './helpers/run-bin.js';

function expectUserError(result: BinResult, message: RegExp): void {
  expect(result.status, result.stderr).toBe(2);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(message);
  expect(lines[1]).toMatch(/^hint: \S/);
}

describe('image names and forms at the command line', () => {
  it('refuses names that are no image reference with exit 2, wherever an image is named', () => {
    // An engine socket that does not exist: the name must be refused before any engine is asked.
    const host = ['--host', 'unix:///nonexistent/docker.sock'];
    for (const name of ['docker://', 'http://example.com/x', '../../etc', 'EVAL/bloat', 'eval/bloat:', 'x@sha256:abc']) {
      expectUserError(runBin([name, ...host]), /is not a valid image reference/);
    }
    expectUserError(runBin(['busybox', '--builder', 'EVAL/bloat', ...host]), /"EVAL\/bloat" is not a valid image reference: the repository name must be lowercase/);
    expectUserError(runBin(['busybox', '--compare', 'ftp://x/y', ...host]), /"ftp:\/\/x\/y" is not a valid image reference/);
  }, 120_000);

  it('reads docker:// names from the engine like plain names', () => {
    expectUserError(runBin(['docker://busybox:latest', '--host', 'unix:///nonexistent/docker.sock']), /cannot reach the Docker Engine at unix:\/\/\/nonexistent\/docker.sock/);
  });

  it('fails at once on an oci: directory that is no layout, without walking it', () => {
    const root = mkdtempSync(join(tmpdir(), 'layerscope-notlayout-'));
    // A deep tree would take long to walk; a layout check does not need to.
    let dir = root;
    for (let depth = 0; depth < 50; depth++) {
      dir = join(dir, `d${depth}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'f'), 'x');
    }
    expectUserError(runBin([`oci:${root}`, '--report', 'json']), /has no index.json, so it is not an OCI image layout/);
  });

  it('says the engine failed to export when it answers 500 to the export', async () => {
    const server = createServer((request, response) => {
      if (request.url?.endsWith('/json')) {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ Id: `sha256:${'c'.repeat(64)}`, Size: 10, Os: 'linux', Architecture: 'amd64', RootFS: { Layers: [] } }));
        return;
      }
      response.statusCode = 500;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ message: 'write /var/lib/docker/tmp/x: no space left on device' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const result = await runBinAsync(['busybox:latest', '--host', `tcp://127.0.0.1:${port}`, '--report', 'json']);
      expectUserError(result, /^layerscope: the engine failed to export busybox:latest: HTTP 500: write \/var\/lib\/docker\/tmp\/x: no space left on device$/);
    } finally {
      server.close();
    }
  });
});
