// A second sshd on 127.0.0.1 for the ssh:// tests: its own config, host key, port and authorized
// key, started and stopped by the test. The client side is the system ssh with a config file of
// its own, reached through an `ssh` wrapper first on PATH, as a user's ~/.ssh/config would be.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestSshd {
  /** The host alias the client config knows (ssh://ALIAS). */
  readonly alias: string;
  /** Environment for the client: PATH with the ssh wrapper first. */
  readonly env: Record<string, string>;
  /** Replace the known host key with another (a "changed" host key). */
  forgeKnownHost(): void;
  stop(): Promise<void>;
}

export async function startSshd(): Promise<TestSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'layerscope-sshd-'));
  const keygen = (name: string): string => {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, name)]);
    return readFileSync(join(dir, `${name}.pub`), 'utf8').trim();
  };
  const hostKey = keygen('host_key');
  const clientKey = keygen('client_key');
  const otherKey = keygen('other_host_key');
  writeFileSync(join(dir, 'authorized_keys'), `${clientKey}\n`);
  const port = await freePort();
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'StrictModes no',
      'UsePAM no',
      '',
    ].join('\n'),
  );
  const alias = 'layerscope-test-host';
  const knownHosts = join(dir, 'known_hosts');
  const known = (key: string): void => writeFileSync(knownHosts, `${alias} ${key.split(' ').slice(0, 2).join(' ')}\n`);
  known(hostKey);
  writeFileSync(
    join(dir, 'ssh_config'),
    [
      `Host ${alias}`,
      '  HostName 127.0.0.1',
      `  Port ${port}`,
      `  User ${execFileSync('id', ['-un'], { encoding: 'utf8' }).trim()}`,
      `  IdentityFile ${join(dir, 'client_key')}`,
      '  IdentitiesOnly yes',
      `  HostKeyAlias ${alias}`,
      `  UserKnownHostsFile ${knownHosts}`,
      '  GlobalKnownHostsFile /dev/null',
      '  StrictHostKeyChecking yes',
      '',
    ].join('\n'),
  );
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin', 'ssh'), `#!/bin/sh\nexec /usr/bin/ssh -F ${join(dir, 'ssh_config')} "$@"\n`);
  chmodSync(join(dir, 'bin', 'ssh'), 0o755);
  mkdirSync('/run/sshd', { recursive: true }); // sshd's privilege separation directory
  const daemon: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  daemon.stderr?.on('data', (chunk: Buffer) => void (log += chunk.toString()));
  await waitForPort(port, () => log);
  return {
    alias,
    env: { PATH: `${join(dir, 'bin')}:${process.env.PATH ?? ''}` },
    forgeKnownHost: () => known(otherKey),
    async stop() {
      daemon.kill();
      await new Promise((resolve) => (daemon.exitCode !== null ? resolve(undefined) : daemon.once('exit', resolve)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function waitForPort(port: number, log: () => string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`sshd did not start: ${log()}`);
}
