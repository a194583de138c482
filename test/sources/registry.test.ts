// The registry source against registries that misbehave on purpose: real HTTP servers on
// 127.0.0.1 serving a hand-made two-layer image (one gzip layer, one zstd), with redirects, auth
// challenges, rate limits and wrong bytes. The real registry is in test/engine/registry.test.ts.

import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { readImageArchive } from '../../src/archive/read-image-archive.js';
import { writeLayerTar, zstdFrame } from '../../src/archive/write-image-archive.js';
import { analyseImage } from '../../src/analysis/analyse.js';
import { CorruptLayerError, LayerscopeError } from '../../src/errors.js';
import { RegistryRateLimitError, RegistryUnauthorizedError } from '../../src/registry-errors.js';
import { openRegistryImage } from '../../src/sources/registry.js';
import { parseChallenge } from '../../src/sources/registry-client.js';
import type { CredentialEnvironment } from '../../src/sources/registry-credentials.js';

const sha = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

async function twoLayerImage() {
  const tarA = await writeLayerTar([{ name: 'a', content: 'abc' }]);
  const tarB = await writeLayerTar([{ name: 'b', content: 'hello' }]);
  const blobA = gzipSync(tarA);
  const blobB = zstdFrame(tarB);
  const config = Buffer.from(
    JSON.stringify({ os: 'linux', architecture: 'amd64', rootfs: { type: 'layers', diff_ids: [sha(tarA), sha(tarB)] }, history: [{ created_by: 'ADD a' }, { created_by: 'ADD b' }] }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
      layers: [
        { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha(blobA), size: blobA.length },
        { mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd', digest: sha(blobB), size: blobB.length },
      ],
    }),
  );
  const blobs = new Map([sha(config), sha(blobA), sha(blobB)].map((digest, i) => [digest, [config, blobA, blobB][i] as Buffer]));
  return { manifest, blobs, blobB: sha(blobB) };
}

type Handler = (request: IncomingMessage, response: ServerResponse) => boolean | void;
const servers: ReturnType<typeof createServer>[] = [];

/** A registry on 127.0.0.1 serving `image` at app:v1; `before` may answer a request first. */
async function serve(image: Awaited<ReturnType<typeof twoLayerImage>>, before: Handler = () => false): Promise<string> {
  const server = createServer((request, response) => {
    if (before(request, response)) return;
    const url = request.url ?? '';
    if (url === '/v2/') {
      response.setHeader('docker-distribution-api-version', 'registry/2.0');
      response.end('{}');
    } else if (url === '/v2/app/manifests/v1') {
      response.setHeader('content-type', 'application/vnd.oci.image.manifest.v1+json');
      response.end(image.manifest);
    } else {
      const blob = image.blobs.get(url.replace('/v2/app/blobs/', ''));
      response.statusCode = blob ? 200 : 404;
      response.end(blob ?? '{"errors":[{"code":"BLOB_UNKNOWN"}]}');
    }
    return;
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

function environment(config?: object): CredentialEnvironment {
  return { env: { DOCKER_CONFIG: '/docker-config' }, home: '/home/x', readFile: (path) => (config && path === '/docker-config/config.json' ? JSON.stringify(config) : undefined) };
}

async function read(host: string, env = environment()) {
  const opened = await openRegistryImage({ domain: host, path: 'app', tag: 'v1' }, { defaultPlatform: { os: 'linux', architecture: 'amd64' }, tlsVerify: true, environment: env });
  return readImageArchive(opened.archive(), { source: `registry://${host}/app:v1`, verify: true });
}

async function failure(promise: Promise<unknown>): Promise<LayerscopeError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(LayerscopeError);
  return error as LayerscopeError;
}

describe('the registry source', () => {
  it('streams gzip and zstd layers into the parser, checked against their digests and diff IDs', async () => {
    const host = await serve(await twoLayerImage());
    const image = await read(host);
    expect(image.layers.map((layer) => layer.contents.compression)).toEqual(['gzip', 'zstd']);
    expect(analyseImage(image).figures.imageBytes).toBe(3 + 5);
    expect(image.tags).toEqual([`${host}/app:v1`]);
  });

  it('follows a blob redirect, and sends its credentials only to the registry', async () => {
    const image = await twoLayerImage();
    const seen: (string | undefined)[] = [];
    const storage = await serve(image, (request) => {
      seen.push(request.headers.authorization);
      return false;
    });
    const host = await serve(image, (request, response) => {
      if (request.headers.authorization !== `Basic ${Buffer.from('me:pw').toString('base64')}`) {
        response.statusCode = 401;
        response.setHeader('www-authenticate', 'Basic realm="test"');
        response.end();
        return true;
      }
      if (!request.url?.includes('/blobs/')) return false;
      response.statusCode = 307;
      response.setHeader('location', `http://${storage}${request.url}`);
      response.end();
      return true;
    });
    const env = environment({ auths: { [`https://${host}`]: { auth: Buffer.from('me:pw').toString('base64') } } });
    expect(analyseImage(await read(host, env)).figures.imageBytes).toBe(8);
    expect(seen.length).toBe(3);
    expect(seen.every((header) => header === undefined)).toBe(true);
  });

  it('names a layer whose bytes are not the ones its digest promises', async () => {
    const image = await twoLayerImage();
    const wrong = image.blobs.get(image.blobB) as Buffer;
    const tampered = Buffer.from(wrong);
    tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 1;
    image.blobs.set(image.blobB, tampered);
    const error = await failure(read(await serve(image)));
    expect(error).toBeInstanceOf(CorruptLayerError);
    expect(error.message).toContain(`layer blobs/sha256/${image.blobB.slice(7)} is truncated or corrupt: the registry sent bytes that hash to sha256:`);
  });

  it('says when the registry rate-limits, and until when', async () => {
    const host = await serve(await twoLayerImage(), (request, response) => {
      if (!request.url?.includes('/manifests/')) return false;
      response.statusCode = 429;
      response.setHeader('retry-after', '120');
      response.end();
      return true;
    });
    const error = await failure(read(host));
    expect(error).toBeInstanceOf(RegistryRateLimitError);
    expect(error.message).toMatch(new RegExp(`the registry ${host} is rate limiting requests \\(HTTP 429\\); it accepts them again in 120 s \\(\\d{4}-`));
  });

  it('says it was refused when a basic-auth registry gets no credentials', async () => {
    const host = await serve(await twoLayerImage(), (_request, response) => {
      response.statusCode = 401;
      response.setHeader('www-authenticate', 'Basic realm="test"');
      response.end();
      return true;
    });
    const error = await failure(read(host));
    expect(error).toBeInstanceOf(RegistryUnauthorizedError);
    expect(error.message).toBe(`the registry refused access to ${host}/app (unauthorized; credentials tried: none (no /docker-config/config.json))`);
  });
});

/** Serves extra documents by manifest reference, before the image's own routes. */
function manifests(documents: Readonly<Record<string, Buffer>>): Handler {
  return (request, response) => {
    const reference = /^\/v2\/app\/manifests\/(.+)$/.exec(request.url ?? '')?.[1];
    const document = reference === undefined ? undefined : documents[reference];
    if (!document) return false;
    response.setHeader('content-type', 'application/vnd.oci.image.index.v1+json');
    response.end(document);
    return true;
  };
}

const index = (entries: readonly object[]): Buffer => Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: entries }));

describe('the registry source reads manifests as every other source does', () => {
  async function open(host: string, reference: { tag: string } | { digest: string }) {
    return openRegistryImage({ domain: host, path: 'app', ...reference }, { defaultPlatform: { os: 'linux', architecture: 'amd64' }, tlsVerify: true, environment: environment() });
  }

  it('follows an index of indexes to the platform, as oci: layouts are followed', async () => {
    const image = await twoLayerImage();
    const inner = index([{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha(image.manifest), size: image.manifest.length, platform: { os: 'linux', architecture: 'amd64' } }]);
    const outer = index([{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: sha(inner), size: inner.length }]);
    const host = await serve(image, manifests({ outer, [sha(inner)]: inner, [sha(image.manifest)]: image.manifest }));
    const opened = await open(host, { tag: 'outer' });
    expect(opened.manifestDigest).toBe(sha(image.manifest));
  });

  it('checks a manifest asked for by a sha512 digest in sha512', async () => {
    const image = await twoLayerImage();
    const sha512 = `sha512:${createHash('sha512').update(image.manifest).digest('hex')}`;
    const host = await serve(image, manifests({ [sha512]: image.manifest }));
    expect((await open(host, { digest: sha512 })).manifestDigest).toBe(sha512);
    const other = `sha512:${'0'.repeat(128)}`;
    const wrong = await serve(image, manifests({ [other]: image.manifest }));
    expect((await failure(open(wrong, { digest: other }))).message).toContain(`hashes to ${sha512}`);
  });

  it('refuses a manifest of the wrong shape naming the field, as the archive reader does', async () => {
    const image = await twoLayerImage();
    const bad = Buffer.from(JSON.stringify({ schemaVersion: 2, config: { digest: 'sha256:abc' }, layers: [] }));
    const host = await serve(image, manifests({ bad }));
    expect((await failure(open(host, { tag: 'bad' }))).message).toBe(`registry://${host}/app:bad is not a readable image archive: its manifest: config.digest: expected sha256:<64 hex>, sha384:<96 hex> or sha512:<128 hex>`);
  });

  it('gives up on a registry that sends no answer within --timeout, and says how to allow more', async () => {
    const host = await serve(await twoLayerImage(), (request) => request.url === '/v2/app/manifests/v1');
    const opened = openRegistryImage({ domain: host, path: 'app', tag: 'v1' }, { defaultPlatform: { os: 'linux', architecture: 'amd64' }, tlsVerify: true, environment: environment(), timeoutMs: 300 });
    const error = await failure(opened);
    expect(error.message).toContain('no answer in time');
    expect(error.hint).toContain('--timeout');
  });
});

describe('parseChallenge', () => {
  it('reads the scheme and quoted parameters of WWW-Authenticate', () => {
    expect(parseChallenge('Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:a/b:pull' },
    });
    expect(parseChallenge('Basic realm="x \\"y\\""')).toEqual({ scheme: 'basic', params: { realm: 'x "y"' } });
  });
});
