// registry:// against real registries (Debian's docker-registry, Distribution v2) started here:
// open, htpasswd basic auth, and token auth with an issuer of our own. Fixture images are pushed
// with `docker push`; the report read from a registry must equal the one read from the engine.

import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBinAsync, type BinResult } from '../helpers/run-bin.js';
import { dockerLogin, PASSWORD, pushImage, selfSigned, startRegistry, USER, type TestRegistry } from '../helpers/registry.js';
import { ARM_FILE, pushTwoPlatformImage } from '../helpers/multi-platform.js';

const FIXTURES = ['deletes', 'duplicate-layers'] as const;
const scratch = mkdtempSync(join(tmpdir(), 'layerscope-registry-test-'));
/** No credentials anywhere: a Docker config directory without config.json. */
const NO_CONFIG = mkdtempSync(join(tmpdir(), 'layerscope-no-docker-config-'));

let open: TestRegistry;
let basic: TestRegistry;
let token: TestRegistry;
let tls: TestRegistry;
const digests = new Map<string, string>();
let basicLogin: string;
let tokenLogin: string;

interface Report {
  source: unknown;
  image: { id: string; tags: unknown; layout: unknown; architecture: string; variant: string | null };
  layers: { blob: unknown; digest: string; bytes: number }[];
  baseImage: { name: unknown; method: unknown; sure: unknown };
  figures: { imageBytes: number };
  largestFiles: { path: string }[];
}

/**
 * What must not depend on where the image was read: all but how it was named and stored, and how
 * its base was recognised (the engine knows local images whose layers are a prefix; a registry read
 * has only the history). Where the base ends, and the figures split there, must still agree.
 */
function comparable(report: Report): object {
  const { source: _source, image, layers, baseImage, ...rest } = report;
  const { tags: _tags, layout: _layout, ...identity } = image;
  const { name: _name, method: _method, sure: _sure, ...split } = baseImage;
  return { ...rest, image: identity, baseImage: split, layers: layers.map(({ blob: _blob, ...layer }) => layer) };
}

async function report(image: string, env: Record<string, string> = {}, ...args: string[]): Promise<Report> {
  const result = await runBinAsync([image, '--report', 'json', '--no-progress', ...args], { DOCKER_CONFIG: NO_CONFIG, ...env });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Report;
}

function expectUserError(result: BinResult, message: RegExp): string {
  expect(result.status, result.stderr).toBe(2);
  const [first = '', hint = ''] = result.stderr.trimEnd().split('\n');
  expect(first).toMatch(message);
  expect(hint).toMatch(/^hint: \S/);
  return result.stderr;
}

/** A credential helper of our own, for credsStore: it answers for one registry and logs what it was asked. */
function credentialHelper(host: string): { path: string; log: string } {
  const bin = mkdtempSync(join(scratch, 'bin-'));
  const log = join(bin, 'asked.log');
  const script = join(bin, 'docker-credential-layerscope-test');
  writeFileSync(
    script,
    `#!/bin/sh
[ "$1" = get ] || exit 1
read server
echo "$server" >> ${log}
if [ "$server" = "${host}" ]; then
  printf '{"ServerURL":"%s","Username":"${USER}","Secret":"${PASSWORD}"}' "$server"
else
  echo "credentials not found in native keychain"
  exit 1
fi
`,
  );
  chmodSync(script, 0o755);
  return { path: `${bin}:${process.env.PATH ?? ''}`, log };
}

function dockerConfig(config: object): string {
  const dir = mkdtempSync(join(scratch, 'config-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

beforeAll(async () => {
  [open, basic, token, tls] = await Promise.all([startRegistry('open'), startRegistry('htpasswd'), startRegistry('token'), startRegistry('tls')]);
  [basicLogin, tokenLogin] = await Promise.all([dockerLogin(basic.host), dockerLogin(token.host)]);
  for (const name of FIXTURES) {
    digests.set(name, await pushImage(`layerscope-fixture/${name}:latest`, `${open.host}/fixtures/${name}:v1`));
  }
  await pushImage('layerscope-fixture/deletes:latest', `${basic.host}/private/deletes:v1`, basicLogin);
  await pushImage('layerscope-fixture/deletes:latest', `${token.host}/private/deletes:v1`, tokenLogin);
  await pushImage('layerscope-fixture/deletes:latest', `${tls.host}/fixtures/deletes:v1`);
  await pushTwoPlatformImage('layerscope-fixture/deletes:latest', `${open.host}/fixtures/multi:v1`);
});

afterAll(async () => {
  await Promise.all([open?.stop(), basic?.stop(), token?.stop(), tls?.stop()]);
});

describe('registry:// from an open registry', () => {
  it.each(FIXTURES)('reads %s by tag with the same report as from the engine', async (name) => {
    const engine = await report(`layerscope-fixture/${name}:latest`);
    const registry = await report(`registry://${open.host}/fixtures/${name}:v1`);
    expect(registry.layers.length).toBeGreaterThan(1);
    if (name !== 'duplicate-layers') {
      expect(comparable(registry)).toEqual(comparable(engine));
      return;
    }
    // dive's figures follow dive, which reads the legacy export's symlinked duplicate layer as empty
    // (the engine here writes that layout) but sees both copies in a registry's blobs: only there
    // does /same.txt count twice. Everything else, layerscope's own figures included, is equal.
    const { dive: engineDive, ...engineRest } = comparable(engine) as { dive: { wastedBytes: number } };
    const { dive: registryDive, ...registryRest } = comparable(registry) as { dive: { wastedBytes: number } };
    expect(registryRest).toEqual(engineRest);
    expect(engineDive.wastedBytes).toBe(0);
    expect(registryDive.wastedBytes).toBeGreaterThan(0);
  });

  it('reads an image by digest, with the same report as from the engine', async () => {
    const engine = await report('layerscope-fixture/deletes:latest');
    const registry = await report(`registry://${open.host}/fixtures/deletes@${digests.get('deletes') ?? ''}`);
    expect(comparable(registry)).toEqual(comparable(engine));
  });

  it('reads over HTTPS from a loopback registry with a certificate no one trusts, as docker does', async () => {
    const engine = await report('layerscope-fixture/deletes:latest');
    const registry = await report(`registry://${tls.host}/fixtures/deletes:v1`);
    expect(comparable(registry)).toEqual(comparable(engine));
  });

  it('takes registry:// for --builder and --compare too', async () => {
    const registry = `registry://${open.host}/fixtures/deletes:v1`;
    const result = await runBinAsync(['layerscope-fixture/deletes:latest', '--builder', registry, '--compare', registry, '--report', 'json', '--no-progress'], { DOCKER_CONFIG: NO_CONFIG });
    expect(result.status, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as { layers: unknown[]; stageComparison: { sharedLayers: number; builder: { reference: string } }; comparedWith: { other: { reference: string }; sizeChange: number } };
    expect(json.stageComparison).toMatchObject({ sharedLayers: json.layers.length, builder: { reference: registry } });
    expect(json.comparedWith).toMatchObject({ other: { reference: registry }, sizeChange: 0 });
  });

  it('says whether the repository or the tag is missing, listing the tags there', async () => {
    expectUserError(await runBinAsync([`registry://${open.host}/fixtures/nothing:v1`], { DOCKER_CONFIG: NO_CONFIG }), new RegExp(`repository ${open.host}/fixtures/nothing not found`));
    const stderr = expectUserError(await runBinAsync([`registry://${open.host}/fixtures/deletes:v9`], { DOCKER_CONFIG: NO_CONFIG }), /tag v9 of .*fixtures\/deletes not found in the registry/);
    expect(stderr).toContain('hint: tags there: v1');
  });
});

describe('registry:// with a multi-platform index', () => {
  it("chooses this machine's platform by default: the engine's image", async () => {
    const engine = await report('layerscope-fixture/deletes:latest');
    const registry = await report(`registry://${open.host}/fixtures/multi:v1`);
    // skopeo wrote the config anew when it copied the image out of the engine: a new image ID, the same contents.
    expect(registry.image.id).not.toBe(engine.image.id);
    expect({ ...comparable(registry), image: { ...registry.image, id: '', tags: [], layout: '' } }).toEqual({ ...comparable(engine), image: { ...engine.image, id: '', tags: [], layout: '' } });
  });

  it('reads another platform with --platform', async () => {
    const amd = await report(`registry://${open.host}/fixtures/multi:v1`, {}, '--platform', 'linux/amd64');
    const arm = await report(`registry://${open.host}/fixtures/multi:v1`, {}, '--platform', 'linux/arm64');
    expect(arm.image).toMatchObject({ architecture: 'arm64', variant: 'v8' });
    expect(arm.layers.map((layer) => layer.digest).slice(0, -1)).toEqual(amd.layers.map((layer) => layer.digest));
    expect(arm.layers.at(-1)?.bytes).toBe(ARM_FILE.content.length);
    expect(arm.figures.imageBytes).toBe(amd.figures.imageBytes + ARM_FILE.content.length);
  });

  it('lists the platforms there when the one asked for is not, attestations left out', async () => {
    const stderr = expectUserError(await runBinAsync([`registry://${open.host}/fixtures/multi:v1`, '--platform', 'linux/s390x'], { DOCKER_CONFIG: NO_CONFIG }), /has no manifest for platform linux\/s390x/);
    expect(stderr).toContain('hint: choose one with --platform: linux/amd64, linux/arm64/v8\n');
  });
});

describe('registry:// with credentials', () => {
  it('reads from a basic-auth registry with the credentials docker login wrote (auths)', async () => {
    const engine = await report('layerscope-fixture/deletes:latest');
    const registry = await report(`registry://${basic.host}/private/deletes:v1`, { DOCKER_CONFIG: basicLogin });
    expect(comparable(registry)).toEqual(comparable(engine));
  });

  it('asks the credsStore helper, with the registry as the docker CLI names it', async () => {
    const helper = credentialHelper(basic.host);
    const config = dockerConfig({ auths: { [basic.host]: {} }, credsStore: 'layerscope-test' });
    const engine = await report('layerscope-fixture/deletes:latest');
    const registry = await report(`registry://${basic.host}/private/deletes@${digests.get('deletes') ?? ''}`, { DOCKER_CONFIG: config, PATH: helper.path });
    expect(comparable(registry)).toEqual(comparable(engine));
    expect(readFileSync(helper.log, 'utf8')).toBe(`${basic.host}\n`);
  });

  it('prefers a credHelpers entry for the registry over credsStore', async () => {
    const helper = credentialHelper(basic.host);
    const config = dockerConfig({ credsStore: 'missing-helper', credHelpers: { [basic.host]: 'layerscope-test' } });
    await report(`registry://${basic.host}/private/deletes:v1`, { DOCKER_CONFIG: config, PATH: helper.path });
  });

  it('reads from a token-auth registry, with a token scoped to the repository', async () => {
    const engine = await report('layerscope-fixture/deletes:latest');
    const registry = await report(`registry://${token.host}/private/deletes:v1`, { DOCKER_CONFIG: tokenLogin });
    expect(comparable(registry)).toEqual(comparable(engine));
  });

  it('says it was refused and which credentials it tried', async () => {
    for (const registry of [basic, token]) {
      const none = await runBinAsync([`registry://${registry.host}/private/deletes:v1`], { DOCKER_CONFIG: NO_CONFIG });
      expectUserError(none, new RegExp(`refused access to ${registry.host}/private/deletes \\(unauthorized; credentials tried: none \\(no ${NO_CONFIG}/config.json\\)\\)`));
      const wrong = dockerConfig({ auths: { [registry.host]: { auth: Buffer.from(`${USER}:wrong`).toString('base64') } } });
      const refused = await runBinAsync([`registry://${registry.host}/private/deletes:v1`], { DOCKER_CONFIG: wrong });
      expectUserError(refused, new RegExp(`credentials tried: auths in ${wrong}/config.json: found for user ${USER}\\)`));
    }
  });
});

describe('registry:// failures', () => {
  it('says a host that answers HTTP but is no registry is not one', async () => {
    // The token issuer's realm is an HTTP server, and not a registry.
    const { createServer } = await import('node:http');
    const server = createServer((_request, response) => {
      response.statusCode = 404;
      response.end('not here');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      expectUserError(await runBinAsync([`registry://127.0.0.1:${port}/x/y:1`]), new RegExp(`cannot read from the registry 127.0.0.1:${port}: it is not a registry \\(GET /v2/ answered HTTP 404\\)`));
    } finally {
      server.close();
    }
  });

  it('names a TLS failure by its cause: blob storage elsewhere with a certificate no one trusts', async () => {
    // Redirect targets are other origins: their certificates are checked, loopback or not (unless --tls-verify=false).
    const { createServer: createHttpsServer } = await import('node:https');
    const { createServer } = await import('node:http');
    const dir = mkdtempSync(join(scratch, 'storage-'));
    const { key, cert } = selfSigned(dir, 'storage', '127.0.0.1');
    // Both servers relay the real registry: the front serves manifests, the storage blobs.
    const relay = (request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse): void => {
      void fetch(`http://${open.host}${request.url ?? ''}`, { headers: { accept: request.headers.accept ?? '' } }).then(async (answer) => {
        response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? '' }).end(Buffer.from(await answer.arrayBuffer()));
      });
    };
    const storage = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, relay);
    await new Promise<void>((resolve) => storage.listen(0, '127.0.0.1', resolve));
    const storagePort = (storage.address() as { port: number }).port;
    const front = createServer((request, response) => {
      const url = request.url ?? '';
      if (url.includes('/blobs/')) {
        response.writeHead(307, { location: `https://127.0.0.1:${storagePort}${url}` }).end();
        return;
      }
      relay(request, response);
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const frontPort = (front.address() as { port: number }).port;
    try {
      const stderr = expectUserError(await runBinAsync([`registry://127.0.0.1:${frontPort}/fixtures/deletes:v1`], { DOCKER_CONFIG: NO_CONFIG }), new RegExp(`cannot read from the registry 127.0.0.1:${storagePort}: TLS failed: DEPTH_ZERO_SELF_SIGNED_CERT`));
      expect(stderr).toContain('hint: trust its CA (the system store or NODE_EXTRA_CA_CERTS), or pass --tls-verify=false if you trust the network\n');
      // As the hint says: --tls-verify=false reads it.
      const engine = await report('layerscope-fixture/deletes:latest');
      expect(comparable(await report(`registry://127.0.0.1:${frontPort}/fixtures/deletes:v1`, {}, '--tls-verify=false'))).toEqual(comparable(engine));
    } finally {
      storage.close();
      front.close();
    }
  });

  it('says nothing listens where nothing does', async () => {
    const { freePort } = await import('../helpers/registry.js');
    const port = await freePort();
    expectUserError(await runBinAsync([`registry://127.0.0.1:${port}/x/y:1`]), new RegExp(`cannot read from the registry 127.0.0.1:${port}: ECONNREFUSED`));
  });
});
