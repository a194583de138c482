import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { engineEndpoint, resolveEndpoint, type EndpointEnvironment } from '../../src/sources/endpoint.js';
import { UsageError } from '../../src/errors.js';
import { parseEngineAddress } from '../../src/sources/engine-address.js';
import { sshArguments } from '../../src/sources/ssh-dial.js';

function environment(env: Record<string, string>, files: Record<string, string> = {}): EndpointEnvironment {
  return { env, home: '/home/u', readFile: (path) => files[path] };
}

const contextId = (name: string): string => createHash('sha256').update(name).digest('hex');

describe('choosing the engine endpoint', () => {
  it("gives podman:// images podman's socket whatever --host and DOCKER_HOST say, for the read and the base lookup alike", () => {
    const env = environment({ DOCKER_HOST: 'tcp://127.0.0.1:2375', CONTAINER_HOST: 'unix:///run/p.sock' });
    expect(engineEndpoint('podman', 'unix:///other.sock', env)).toMatchObject({ url: 'unix:///run/p.sock', origin: 'podman://' });
    expect(engineEndpoint(undefined, 'unix:///other.sock', env)).toMatchObject({ url: 'unix:///other.sock' });
  });

  it('falls back to the default socket', () => {
    expect(resolveEndpoint(undefined, environment({}))).toMatchObject({
      url: 'unix:///var/run/docker.sock',
      origin: 'default',
      options: { socketPath: '/var/run/docker.sock' },
    });
  });

  it('prefers --host over DOCKER_HOST, and DOCKER_HOST over the context', () => {
    const env = environment({ DOCKER_HOST: 'unix:///run/podman/podman.sock', DOCKER_CONTEXT: 'remote' });
    expect(resolveEndpoint('unix:///tmp/d.sock', env)).toMatchObject({ origin: '--host', options: { socketPath: '/tmp/d.sock' } });
    expect(resolveEndpoint(undefined, env)).toMatchObject({
      origin: 'DOCKER_HOST',
      options: { socketPath: '/run/podman/podman.sock' },
    });
  });

  it('speaks TLS to a tcp:// host when DOCKER_TLS_VERIFY is set, with the certificates from DOCKER_CERT_PATH', () => {
    const endpoint = resolveEndpoint(
      undefined,
      environment(
        { DOCKER_HOST: 'tcp://build.example:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' },
        { '/certs/ca.pem': 'CA', '/certs/cert.pem': 'CERT', '/certs/key.pem': 'KEY' },
      ),
    );
    expect(endpoint.options).toEqual({ host: 'build.example', port: '2376', protocol: 'https', ca: 'CA', cert: 'CERT', key: 'KEY' });
  });

  it('speaks plain http to a tcp:// host without TLS settings, on port 2375 by default', () => {
    expect(resolveEndpoint('tcp://127.0.0.1', environment({})).options).toEqual({ host: '127.0.0.1', port: '2375', protocol: 'http' });
  });

  it('uses the current Docker context from config.json', () => {
    const id = contextId('colima');
    const endpoint = resolveEndpoint(
      undefined,
      environment(
        {},
        {
          '/home/u/.docker/config.json': JSON.stringify({ currentContext: 'colima' }),
          [`/home/u/.docker/contexts/meta/${id}/meta.json`]: JSON.stringify({
            Name: 'colima',
            Endpoints: { docker: { Host: 'unix:///home/u/.colima/docker.sock', SkipTLSVerify: false } },
          }),
        },
      ),
    );
    expect(endpoint).toMatchObject({ origin: 'context "colima"', options: { socketPath: '/home/u/.colima/docker.sock' } });
  });

  it('says so when the current context does not exist', () => {
    expect(() => resolveEndpoint(undefined, environment({ DOCKER_CONTEXT: 'gone' }))).toThrow(UsageError);
  });

  it('rejects an address it cannot use, with a hint', () => {
    expect(() => resolveEndpoint('ftp://x', environment({}))).toThrow(/unsupported scheme ftp/);
    expect(() => resolveEndpoint('localhost:2375', environment({}))).toThrow(/cannot use the engine address/);
  });
});

describe('parsing an engine address', () => {
  it.each([
    ['tcp://exa mple:2375', 'it contains a space or a control character'],
    ['tcp://h:99999', 'the port "99999" is not a number from 1 to 65535'],
    ['tcp://h:0', 'the port "0" is not a number from 1 to 65535'],
    ['tcp://[::1', 'the IPv6 address has no closing ]'],
    ['tcp://[nope]:2375', '[nope] is not an IPv6 address'],
    ['tcp://::1:2375', 'an IPv6 address goes in brackets, as in tcp://[::1]:2375'],
    ['tcp://', 'it names no host'],
    ['tcp://:2375', 'it names no host'],
    ['tcp://h\u001b[31m:2375', 'it contains a space or a control character'],
    ['tcp://h:2375/v1.41?x', 'an engine address has no path, query or fragment'],
    ['unix://relative.sock', 'a unix socket needs an absolute path, as in unix:///var/run/docker.sock'],
    ['ssh://@host', 'the user before @ is empty'],
    ['ftp://x', 'unsupported scheme ftp://'],
    ['localhost:2375', 'it has no scheme'],
  ])('rejects %j in one line, saying why', (url, reason) => {
    expect(() => resolveEndpoint(url, environment({}))).toThrow(`cannot use the engine address "${url}" (from --host): ${reason}`);
  });

  it('says where a bad address came from: DOCKER_HOST', () => {
    expect(() => resolveEndpoint(undefined, environment({ DOCKER_HOST: 'tcp://127.0.0.1:abc' }))).toThrow(
      'cannot use the engine address "tcp://127.0.0.1:abc" (from DOCKER_HOST): the port "abc" is not a number from 1 to 65535',
    );
  });

  it('reads IPv6 hosts, default ports, and ssh users and ports (none needed: ssh uses its config)', () => {
    expect(parseEngineAddress('tcp://[::1]:2375', 'x')).toEqual({ scheme: 'tcp', host: '::1', port: 2375 });
    expect(parseEngineAddress('tcp://docker.internal/', 'x')).toEqual({ scheme: 'tcp', host: 'docker.internal' });
    expect(parseEngineAddress('ssh://host', 'x')).toEqual({ scheme: 'ssh', host: 'host' });
    expect(parseEngineAddress('ssh://me%40corp@host:2222', 'x')).toEqual({ scheme: 'ssh', host: 'host', port: 2222, user: 'me@corp' });
    expect(sshArguments({ host: 'host', port: 2222, user: 'me' })).toEqual(['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=30', '-l', 'me', '-p', '2222', '--', 'host', 'docker', 'system', 'dial-stdio']);
  });
});
