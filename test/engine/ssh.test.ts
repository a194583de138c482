// ssh:// engines through the system ssh, against a second sshd on 127.0.0.1 that runs
// `docker system dial-stdio` to the test engine.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../helpers/run-bin.js';
import { startSshd, type TestSshd } from '../helpers/sshd.js';
import { fixtureImage, requireEngine } from './engine.js';

let sshd: TestSshd;
beforeAll(async () => {
  await requireEngine();
  sshd = await startSshd();
});
afterAll(async () => {
  await sshd?.stop();
});

const image = fixtureImage('deletes');
const reportOf = (stdout: string) => JSON.parse(stdout) as { image: { id: string; layers: unknown[] } };

describe('an engine over ssh, as the docker CLI reaches it', () => {
  it('reads the image through the system ssh with its config, keys and known_hosts, warning-free', () => {
    const local = runBin([image, '--report', 'json', '--no-progress']);
    const overSsh = runBin(['--host', `ssh://${sshd.alias}`, image, '--report', 'json', '--no-progress'], sshd.env);
    expect(overSsh.stderr).toBe('');
    expect(overSsh.status).toBe(0);
    expect(reportOf(overSsh.stdout).image).toEqual(reportOf(local.stdout).image);
    const fromEnv = runBin([image, '--report', 'json', '--no-progress'], { ...sshd.env, DOCKER_HOST: `ssh://${sshd.alias}` });
    expect(fromEnv.status).toBe(0);
  });

  it('refuses a host whose key changed, in one line with a hint', () => {
    sshd.forgeKnownHost();
    const result = runBin(['--host', `ssh://${sshd.alias}`, image, '--report', 'json', '--no-progress'], sshd.env);
    expect(result.status).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^layerscope: ssh to the Docker Engine at ssh:\/\/layerscope-test-host \(from --host\) failed: Host key verification failed\.$/);
    expect(lines[1]).toMatch(/^hint: .*ssh-keygen -R HOST/);
  });
});
