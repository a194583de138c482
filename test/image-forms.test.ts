// Names that are no image, and sources that fail in ways a user must be told plainly (issue 11, item 7).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../src/cli/parse.js';
import { EngineExportError, InvalidArchiveError, InvalidReferenceError, LayerscopeError } from '../src/errors.js';
import { openArchiveFile } from '../src/sources/archive-file.js';
import { openImage } from '../src/sources/open-image.js';
import { runBin } from './helpers/run-bin.js';

const PIPE = { interactive: false };

async function failure(work: () => unknown): Promise<LayerscopeError> {
  const error = await Promise.resolve().then(work).then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(LayerscopeError);
  return error as LayerscopeError;
}

describe('image names and forms at the command line', () => {
  it('refuses names that are no image reference, wherever an image is named, before anything is opened', async () => {
    for (const name of ['docker://', 'http://example.com/x', '../../etc', 'EVAL/bloat', 'eval/bloat:', 'x@sha256:abc']) {
      for (const argv of [[name], ['busybox', '--builder', name], ['busybox', '--compare', name, '--report', 'md']]) {
        const error = await failure(() => parseCommandLine(argv, PIPE));
        expect(error, argv.join(' ')).toBeInstanceOf(InvalidReferenceError);
        expect(error.message).toContain(`"${name}" is not a valid image reference`);
        expect(error.exitCode).toBe(2);
      }
    }
  });

  it('exits 2 with the message and a hint from the executable', () => {
    const result = runBin(['EVAL/bloat', '--host', 'unix:///nonexistent/docker.sock']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'layerscope: "EVAL/bloat" is not a valid image reference: the repository name must be lowercase\n' +
        'hint: write it as name[:tag|@sha256:…] or an image ID (engine), registry://HOST/REPO[:TAG], docker-archive:PATH, oci:PATH or dir:PATH\n',
    );
  }, 60_000);

  it('fails at once on an oci: directory that is no layout, without walking it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'layerscope-notlayout-'));
    let dir = root;
    for (let depth = 0; depth < 50; depth++) {
      dir = join(dir, `d${depth}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'f'), 'x');
    }
    const error = await failure(() => openArchiveFile(root, 'oci'));
    expect(error).toBeInstanceOf(InvalidArchiveError);
    expect(error.message).toBe(`oci:${root} is not a readable image archive: the directory is no image layout: it has neither index.json (OCI) nor manifest.json and version (skopeo's dir:)`);
  });

  it('says the engine failed to export when it answers 500 to the export', async () => {
    const server = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      if (request.url?.endsWith('/json')) {
        response.end(JSON.stringify({ Id: `sha256:${'c'.repeat(64)}`, Size: 10, Os: 'linux', Architecture: 'amd64', RootFS: { Layers: [] } }));
        return;
      }
      response.statusCode = 500;
      response.end(JSON.stringify({ message: 'write /var/lib/docker/tmp/x: no space left on device' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const opened = await openImage({ kind: 'engine', reference: 'busybox:latest', name: 'busybox:latest' }, { host: `tcp://127.0.0.1:${port}` });
      const error = await failure(async () => {
        for await (const _ of opened.archive());
      });
      expect(error).toBeInstanceOf(EngineExportError);
      expect(error.message).toBe('the engine failed to export busybox:latest: HTTP 500: write /var/lib/docker/tmp/x: no space left on device');
    } finally {
      server.close();
    }
  });
});
