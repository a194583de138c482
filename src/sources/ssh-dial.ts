// ssh:// engines, reached as the docker CLI reaches them: the system `ssh` runs
// `docker system dial-stdio` on the remote host and HTTP flows over its stdin/stdout. So the
// user's ~/.ssh/config, keys, agent, known_hosts and ProxyJump all apply, and a host key that
// changed is refused by ssh itself. One ssh process per connection, ended with it.

import { spawn } from 'node:child_process';
import { Agent } from 'node:http';
import { Duplex } from 'node:stream';

export interface SshTarget {
  readonly host: string;
  readonly port?: number;
  readonly user?: string;
}

/** The code of a connection's error when ssh itself failed; the message is ssh's last words. */
export const SSH_FAILED = 'LAYERSCOPE_SSH_FAILED';

/** ssh's arguments, in the docker CLI's order; BatchMode: never prompt on the explorer's terminal. */
export function sshArguments(target: SshTarget): string[] {
  return [
    '-o', 'BatchMode=yes',
    '-o', 'ConnectTimeout=30',
    ...(target.user === undefined ? [] : ['-l', target.user]),
    ...(target.port === undefined ? [] : ['-p', String(target.port)]),
    '--', target.host,
    'docker', 'system', 'dial-stdio',
  ];
}

/** An http.Agent whose connections are ssh processes. */
export function sshAgent(target: SshTarget): Agent {
  const agent = new Agent({ keepAlive: false });
  agent.createConnection = () => sshConnection(target) as never;
  return agent;
}

function sshConnection(target: SshTarget): Duplex {
  const child = spawn('ssh', sshArguments(target), { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    stderr = (stderr + text).slice(-4096);
  });
  const failure = (reason: string): Error => Object.assign(new Error(reason), { code: SSH_FAILED });
  const lastWords = (): string =>
    stderr
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !/^@+$/.test(line))
      .at(-1) ?? '';
  // Why ssh ended, once it has: the end of its output is only the end of the connection when
  // ssh succeeded; otherwise its last words are the error.
  const ended = new Promise<Error | undefined>((resolve) => {
    child.on('error', (error: NodeJS.ErrnoException) => resolve(failure(error.code === 'ENOENT' ? 'no ssh client found (install openssh-client)' : error.message)));
    child.on('close', (code, signal) => resolve(code !== 0 && signal === null ? failure(lastWords() || `ssh exited with status ${code}`) : undefined));
  });
  const socket = new SshSocket(child.stdout, child.stdin, ended, () => child.kill());
  void ended.then((error) => error && socket.destroy(error));
  return socket;
}

/** A Duplex over the ssh process's pipes, with the socket methods http's client calls. */
class SshSocket extends Duplex {
  constructor(
    private readonly input: NodeJS.ReadableStream,
    private readonly output: NodeJS.WritableStream,
    ended: Promise<Error | undefined>,
    private readonly stop: () => void,
  ) {
    super();
    input.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) (input as unknown as { pause(): void }).pause();
    });
    input.on('end', () => void ended.then((error) => error === undefined && this.push(null)));
    output.on('error', () => undefined); // ssh gone: its exit says why
  }

  override _read(): void {
    (this.input as unknown as { resume(): void }).resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.output.write(chunk, (error) => callback(error ?? null));
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.output.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.stop();
    callback(error);
  }

  setTimeout(): this {
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }
}
