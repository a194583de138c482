// Real registries for the registry tests: Debian's docker-registry (Distribution v2) on
// 127.0.0.1, open, with htpasswd basic auth, or with token auth backed by a small token issuer
// served from this process. Each is started on a free port and stopped by the caller.

import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createSign, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createConnection, createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const USER = 'layerscope';
export const PASSWORD = 'fixture-secret';
const SERVICE = 'layerscope-registry';
const ISSUER = 'layerscope-test-issuer';

export interface TestRegistry {
  /** `127.0.0.1:PORT` */
  readonly host: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `tls`: an open registry serving HTTPS with a self-signed certificate (trusted by no one). */
export async function startRegistry(auth: 'open' | 'htpasswd' | 'token' | 'tls'): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), `layerscope-registry-${auth}-`));
  const port = await freePort();
  let issuer: Server | undefined;
  let authConfig = '';
  let tlsConfig = '';
  if (auth === 'tls') {
    selfSigned(dir, 'tls', '127.0.0.1');
    tlsConfig = `  tls:\n    certificate: ${join(dir, 'tls.crt')}\n    key: ${join(dir, 'tls.key')}\n`;
  }
  if (auth === 'htpasswd') {
    writeFileSync(join(dir, 'htpasswd'), execFileSync('htpasswd', ['-Bbn', USER, PASSWORD], { encoding: 'utf8' }));
    authConfig = `auth:\n  htpasswd:\n    realm: layerscope-test\n    path: ${join(dir, 'htpasswd')}\n`;
  } else if (auth === 'token') {
    const issued = await startTokenIssuer(dir);
    issuer = issued.server;
    authConfig = `auth:\n  token:\n    realm: http://127.0.0.1:${issued.port}/token\n    service: ${SERVICE}\n    issuer: ${ISSUER}\n    rootcertbundle: ${join(dir, 'token.crt')}\n`;
  }
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n${tlsConfig}${authConfig}`,
  );
  const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitUntilServing(port, child, () => stderr);
  return {
    host: `127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)));
      if (issuer) await new Promise((resolve) => issuer?.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitUntilServing(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited: ${stderr()}`);
    const answered = await new Promise<boolean>((resolve) => {
      const socket = createConnection(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      }).on('error', () => resolve(false));
    });
    if (answered) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`docker-registry did not answer on ${port}: ${stderr()}`);
}

/**
 * A token issuer as Distribution's token auth expects one: basic credentials in, a JWT signed
 * with a key whose certificate is in the registry's rootcertbundle (sent in the x5c header), granting
 * the requested repository actions to USER and nothing to anyone else.
 */
async function startTokenIssuer(dir: string): Promise<{ server: Server; port: number }> {
  const { key, cert } = selfSigned(dir, 'token', 'layerscope-token');
  const privateKey = readFileSync(key, 'utf8');
  const der = new X509Certificate(readFileSync(cert)).raw.toString('base64');
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const basic = /^Basic (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const [user, password] = basic ? Buffer.from(basic, 'base64').toString().split(':') : [];
    const allowed = user === USER && password === PASSWORD;
    if (basic && !allowed) {
      response.statusCode = 401;
      response.end('{"details":"wrong credentials"}');
      return;
    }
    const access = allowed
      ? url.searchParams.getAll('scope').flatMap((scope) => {
          const [type, name, actions] = scope.split(':');
          return type === 'repository' && name && actions ? [{ type, name, actions: actions.split(',') }] : [];
        })
      : [];
    const now = Math.floor(Date.now() / 1000);
    const token = signJwt({ typ: 'JWT', alg: 'RS256', x5c: [der] }, { iss: ISSUER, sub: user ?? '', aud: url.searchParams.get('service') ?? SERVICE, exp: now + 600, nbf: now - 10, iat: now, jti: String(Math.random()), access }, privateKey);
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ token, access_token: token, expires_in: 600 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** A self-signed certificate and its key, DIR/NAME.crt and DIR/NAME.key. */
export function selfSigned(dir: string, name: string, commonName: string): { key: string; cert: string } {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  const san = /^[\d.]+$/.test(commonName) ? ['-addext', `subjectAltName=IP:${commonName}`] : [];
  const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${commonName}`, ...san];
  execFileSync('openssl', args, { stdio: 'ignore' });
  return { key, cert };
}

function signJwt(header: object, claims: object, privateKey: string): string {
  const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${encode(header)}.${encode(claims)}`;
  const signature = createSign('RSA-SHA256').update(body).sign(privateKey).toString('base64url');
  return `${body}.${signature}`;
}

/** Runs a command without blocking this process (the token issuer answers from here). */
export function run(command: string, args: readonly string[], env: Record<string, string> = {}, input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, [...args], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 16 << 20, timeout: 300_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')}: ${stderr || error.message}`));
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** A Docker config directory logged in to `host` (as `docker login` writes it). */
export async function dockerLogin(host: string): Promise<string> {
  const config = mkdtempSync(join(tmpdir(), 'layerscope-docker-config-'));
  await run('docker', ['login', host, '-u', USER, '--password-stdin'], { DOCKER_CONFIG: config }, PASSWORD);
  return config;
}

/** Tags a local image for the registry and pushes it; returns the pushed digest. */
export async function pushImage(image: string, target: string, dockerConfig?: string): Promise<string> {
  const env = dockerConfig ? { DOCKER_CONFIG: dockerConfig } : {};
  await run('docker', ['tag', image, target]);
  try {
    const output = await run('docker', ['push', target], env);
    const digest = /digest: (sha256:[0-9a-f]{64})/.exec(output)?.[1];
    if (!digest) throw new Error(`no digest in docker push output: ${output}`);
    return digest;
  } finally {
    await run('docker', ['rmi', target]).catch(() => '');
  }
}
