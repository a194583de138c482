// Every TLS failure against a real TLS server on 127.0.0.1 (certificates from openssl) is a
// one-line error naming its cause.

import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineTlsError } from '../../src/errors.js';
import { openEngineImage } from '../../src/sources/docker-engine.js';
import { resolveEndpoint, systemEnvironment } from '../../src/sources/endpoint.js';
import { certPath, makeCerts, type TestCerts } from '../helpers/certs.js';

let certs: TestCerts;
let tlsServer: Server;
let plainServer: Server;
let tlsPort: number;
let plainPort: number;
const inspect = JSON.stringify({ Id: `sha256:${'a'.repeat(64)}`, Size: 1, Os: 'linux', Architecture: 'amd64', RootFS: { Layers: [] } });
const answer = (_req: unknown, res: import('node:http').ServerResponse): void => void res.end(inspect);
const listen = async (server: Server): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

beforeAll(() => {
  certs = makeCerts();
  tlsServer = createHttpsServer({ key: certs.read('server-key.pem'), cert: certs.read('server.pem'), ca: certs.read('ca.pem'), requestCert: true, rejectUnauthorized: true }, answer);
  plainServer = createHttpServer(answer);
});
beforeAll(async () => {
  tlsPort = await listen(tlsServer);
  plainPort = await listen(plainServer);
});
afterAll(() => {
  tlsServer.close();
  plainServer.close();
});

async function open(port: number, certDir: string): Promise<unknown> {
  const endpoint = resolveEndpoint(undefined, { ...systemEnvironment(), env: { DOCKER_HOST: `tcp://127.0.0.1:${port}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certDir } });
  return openEngineImage('app:1', endpoint, { timeoutMs: 10_000 }).then(
    (image) => image.id,
    (error: unknown) => error,
  );
}

describe('TLS with the engine', () => {
  it('works with the right CA and client certificate', async () => {
    expect(await open(tlsPort, certPath(certs, 'ca', 'client'))).toBe(`sha256:${'a'.repeat(64)}`);
  });

  it.each([
    ['the engine\'s certificate is signed by a CA layerscope was not given', 'other-ca', 'client', /not signed by the CA layerscope was given|ends in a CA layerscope does not trust/],
    ['no client certificate is sent', 'ca', undefined, /requires a client certificate and none was sent|refused the handshake/],
    ['the client certificate comes from a CA the engine does not know', 'ca', 'stranger', /does not trust the CA of the client certificate|may not accept this client certificate/],
  ])('names the cause when %s', async (_case, ca, client, cause) => {
    const error = await open(tlsPort, certPath(certs, ca, client));
    expect(error).toBeInstanceOf(EngineTlsError);
    expect((error as Error).message).toMatch(cause);
    expect((error as Error).message).not.toContain('\n');
  });

  it('says the port does not speak TLS when TLS is set against a plain one', async () => {
    const error = await open(plainPort, certPath(certs, 'ca', 'client'));
    expect(error).toBeInstanceOf(EngineTlsError);
    expect((error as Error).message).toMatch(/port does not speak TLS/);
  });
});
