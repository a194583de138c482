// Certificates for the TLS tests, made with the openssl CLI: two CAs, a server certificate for
// 127.0.0.1 signed by the first, and client certificates signed by each.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCerts {
  readonly dir: string;
  readonly read: (name: string) => string;
}

export function makeCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), 'layerscope-certs-'));
  const openssl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  for (const ca of ['ca', 'other-ca']) {
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${ca}-key.pem`, '-out', `${ca}.pem`, '-days', '2', '-subj', `/CN=${ca}`);
  }
  const issue = (name: string, ca: string, extensions: string): void => {
    writeFileSync(join(dir, `${name}.ext`), extensions);
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}-key.pem`, '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`);
  };
  issue('server', 'ca', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  issue('client', 'ca', 'extendedKeyUsage=clientAuth\n');
  issue('stranger', 'other-ca', 'extendedKeyUsage=clientAuth\n');
  return { dir, read: (name) => readFileSync(join(dir, name), 'utf8') };
}

/** A DOCKER_CERT_PATH directory: ca.pem, and cert.pem/key.pem when a client is named. */
export function certPath(certs: TestCerts, ca: string, client?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'layerscope-certpath-'));
  writeFileSync(join(dir, 'ca.pem'), certs.read(`${ca}.pem`));
  if (client) {
    writeFileSync(join(dir, 'cert.pem'), certs.read(`${client}.pem`));
    writeFileSync(join(dir, 'key.pem'), certs.read(`${client}-key.pem`));
  }
  return dir;
}
