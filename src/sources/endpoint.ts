// Which Docker Engine to talk to, decided the way the docker CLI decides: --host, then
// DOCKER_HOST (with DOCKER_TLS_VERIFY / DOCKER_CERT_PATH), then the current Docker context,
// then the default socket. Podman's Docker-compatible socket is just another unix:// endpoint.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { DockerOptions } from 'dockerode';
import { UsageError } from '../errors.js';
import { parseEngineAddress } from './engine-address.js';
import { sshAgent } from './ssh-dial.js';
import { dockerConfigDir, readContextMeta, readDockerConfig } from './docker-config.js';

export interface Endpoint {
  /** As the user would write it: `unix:///var/run/docker.sock`, `tcp://host:2376`. */
  readonly url: string;
  /** Where it came from, for messages: `--host`, `DOCKER_HOST`, `context "remote"`, `default`. */
  readonly origin: string;
  readonly options: DockerOptions;
}

export interface EndpointEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home: string;
  /** Reads a file's text, or undefined when it does not exist. */
  readonly readFile: (path: string) => string | undefined;
}

export const DEFAULT_SOCKET = 'unix:///var/run/docker.sock';

export function systemEnvironment(): EndpointEnvironment {
  return {
    env: process.env,
    home: homedir(),
    readFile: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}

export function resolveEndpoint(hostFlag: string | undefined, environment: EndpointEnvironment): Endpoint {
  const { env } = environment;
  if (hostFlag) return fromUrl(hostFlag, '--host', tlsFromEnv(environment));
  if (env.DOCKER_HOST) return fromUrl(env.DOCKER_HOST, 'DOCKER_HOST', tlsFromEnv(environment));
  const context = currentContext(environment);
  if (context) return context;
  return fromUrl(DEFAULT_SOCKET, 'default', undefined);
}

interface Tls {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly verify: boolean;
}

function tlsFromEnv({ env, home, readFile }: EndpointEnvironment): Tls | undefined {
  const verify = env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== '' && env.DOCKER_TLS_VERIFY !== '0';
  if (!verify && !env.DOCKER_CERT_PATH) return undefined;
  const dir = env.DOCKER_CERT_PATH || join(home, '.docker');
  return readTls(dir, verify, readFile);
}

function readTls(dir: string, verify: boolean, readFile: EndpointEnvironment['readFile']): Tls {
  const ca = readFile(join(dir, 'ca.pem'));
  const cert = readFile(join(dir, 'cert.pem'));
  const key = readFile(join(dir, 'key.pem'));
  return { verify, ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
}

function currentContext(environment: EndpointEnvironment): Endpoint | undefined {
  const configDir = dockerConfigDir(environment);
  const name = environment.env.DOCKER_CONTEXT || readDockerConfig(environment).config?.currentContext;
  if (!name || name === 'default') return undefined;
  const id = createHash('sha256').update(name).digest('hex');
  const meta = readContextMeta(environment, join(configDir, 'contexts', 'meta', id, 'meta.json'));
  if (!meta) {
    throw new UsageError(`the current Docker context "${name}" does not exist`, 'list contexts with `docker context ls`; choose one with `docker context use NAME`');
  }
  const host = meta.Endpoints?.docker;
  if (!host?.Host) return undefined;
  const tlsDir = join(configDir, 'contexts', 'tls', id, 'docker');
  const tls = readTls(tlsDir, !host.SkipTLSVerify, environment.readFile);
  return fromUrl(host.Host, `context "${name}"`, tls.ca || tls.cert ? tls : undefined);
}

function fromUrl(url: string, origin: string, tls: Tls | undefined): Endpoint {
  const address = parseEngineAddress(url, origin);
  switch (address.scheme) {
    case 'unix':
    case 'npipe':
      return { url, origin, options: { socketPath: address.path } };
    case 'tcp': {
      const secure = address.secure ?? tls !== undefined;
      const options: DockerOptions = {
        host: address.host,
        port: String(address.port ?? (secure ? 2376 : 2375)),
        protocol: secure ? 'https' : 'http',
        ...(tls?.ca ? { ca: tls.ca } : {}),
        ...(tls?.cert ? { cert: tls.cert } : {}),
        ...(tls?.key ? { key: tls.key } : {}),
      };
      return { url, origin, options };
    }
    case 'ssh':
      // HTTP over the system ssh's stdio; the host and port here only fill the request line.
      return { url, origin, options: Object.assign({ protocol: 'http', host: 'docker', port: '80' } satisfies DockerOptions, { agent: sshAgent(address) }) };
  }
}

/** The endpoint of an engine image: podman's socket for podman://, else --host, DOCKER_HOST, the context, the default. */
export function engineEndpoint(engine: 'podman' | undefined, host: string | undefined, environment: EndpointEnvironment = systemEnvironment()): Endpoint {
  if (engine !== 'podman') return resolveEndpoint(host, environment);
  return { ...resolveEndpoint(podmanSocket(environment.env), environment), origin: 'podman://' };
}

/**
 * podman's Docker-compatible socket, where podman itself looks: CONTAINER_HOST, the rootful socket
 * for root, else the user's under XDG_RUNTIME_DIR.
 */
export function podmanSocket(env: Readonly<Record<string, string | undefined>>, uid = process.getuid?.() ?? 0): string {
  if (env.CONTAINER_HOST) return env.CONTAINER_HOST;
  if (uid === 0) return 'unix:///run/podman/podman.sock';
  return `unix://${env.XDG_RUNTIME_DIR || `/run/user/${uid}`}/podman/podman.sock`;
}
