import { describe, expect, it } from 'vitest';
import { findCredentials, type CredentialEnvironment } from '../../src/sources/registry-credentials.js';
import { UsageError } from '../../src/errors.js';

const auth = (user: string, password: string): string => Buffer.from(`${user}:${password}`).toString('base64');

/** A Docker config at $DOCKER_CONFIG/config.json, and helpers answering from a table (logging what they were asked). */
function environment(config: object | undefined, helpers: Record<string, Record<string, string>> = {}, asked: string[] = []): CredentialEnvironment {
  return {
    env: { DOCKER_CONFIG: '/cfg' },
    home: '/home/me',
    readFile: (path) => (path === '/cfg/config.json' && config ? JSON.stringify(config) : undefined),
    runHelper: async (helper, server) => {
      asked.push(`${helper} ${server}`);
      const answer = helpers[helper]?.[server];
      if (answer === undefined) throw new Error('credentials not found in native keychain');
      return answer;
    },
  };
}

describe('findCredentials', () => {
  it('reads docker login entries from auths, keyed by host or by URL', async () => {
    const config = { auths: { 'https://reg.example:5000/v1/': { auth: auth('ann', 'pw:with:colons') } } };
    expect(await findCredentials('reg.example:5000', environment(config))).toEqual({
      credentials: { kind: 'basic', username: 'ann', password: 'pw:with:colons' },
      summary: 'auths in /cfg/config.json: found for user ann',
    });
    expect((await findCredentials('other.example', environment(config))).credentials).toBeUndefined();
  });

  it("answers for docker.io and its aliases with Docker Hub's login key", async () => {
    const config = { auths: { 'https://index.docker.io/v1/': { auth: auth('hub', 'pw') } } };
    for (const domain of ['docker.io', 'index.docker.io', 'registry-1.docker.io']) {
      expect((await findCredentials(domain, environment(config))).credentials).toEqual({ kind: 'basic', username: 'hub', password: 'pw' });
    }
  });

  it('asks credHelpers for its registry, else credsStore, with the server as the docker CLI names it', async () => {
    const asked: string[] = [];
    const helpers = {
      store: { 'https://index.docker.io/v1/': '{"Username":"hub","Secret":"s1"}' },
      ecr: { '1.dkr.ecr.example': '{"Username":"AWS","Secret":"s2"}' },
    };
    const config = { credsStore: 'store', credHelpers: { '1.dkr.ecr.example': 'ecr' }, auths: { 'docker.io': {} } };
    const env = environment(config, helpers, asked);
    expect((await findCredentials('docker.io', env)).credentials).toEqual({ kind: 'basic', username: 'hub', password: 's1' });
    expect((await findCredentials('1.dkr.ecr.example', env)).credentials).toEqual({ kind: 'basic', username: 'AWS', password: 's2' });
    expect(await findCredentials('elsewhere.example', env)).toEqual({ summary: 'credential helper docker-credential-store (from /cfg/config.json): none found' });
    expect(asked).toEqual(['store https://index.docker.io/v1/', 'ecr 1.dkr.ecr.example', 'store elsewhere.example']);
  });

  it('takes a helper\'s <token> user and an identitytoken entry as identity tokens', async () => {
    const helpers = { store: { 'reg.example': '{"Username":"<token>","Secret":"refresh"}' } };
    expect((await findCredentials('reg.example', environment({ credsStore: 'store' }, helpers))).credentials).toEqual({ kind: 'identity-token', username: '', token: 'refresh' });
    const config = { auths: { 'reg.example': { auth: auth('me', ''), identitytoken: 'tok' } } };
    expect((await findCredentials('reg.example', environment(config))).credentials).toEqual({ kind: 'identity-token', username: 'me', token: 'tok' });
  });

  it('says where it looked when there is no config, and fails plainly on a broken one', async () => {
    expect(await findCredentials('reg.example', environment(undefined))).toEqual({ summary: 'none (no /cfg/config.json)' });
    const broken: CredentialEnvironment = { ...environment(undefined), readFile: () => '{not json' };
    await expect(findCredentials('reg.example', broken)).rejects.toThrow(UsageError); // the one reader of config.json (test/sources/docker-config.test.ts)
    await expect(findCredentials('reg.example', environment({ auths: { 'reg.example': { auth: 'bm9jb2xvbg==' } } }))).rejects.toThrow(/not base64 of user:password/);
  });
});
