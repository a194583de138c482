import { describe, expect, it } from 'vitest';
import { buildHelpText, helpText, parseCommandLine } from '../src/cli.js';
import { UsageError } from '../src/errors.js';

describe('the command line', () => {
  it('reads an engine image reference, an archive and an OCI layout', () => {
    expect(parseCommandLine(['alpine:3.20']).target).toEqual({ kind: 'engine', reference: 'alpine:3.20', name: 'alpine:3.20' });
    expect(parseCommandLine(['docker-archive:./x.tar']).target).toEqual({
      kind: 'docker-archive',
      reference: 'docker-archive:./x.tar',
      path: './x.tar',
    });
    expect(parseCommandLine(['oci:/tmp/layout']).target).toMatchObject({ kind: 'oci', path: '/tmp/layout' });
    expect(parseCommandLine(['--demo']).target).toMatchObject({ kind: 'demo' });
  });

  it('reads the report options', () => {
    expect(
      parseCommandLine(['img', '--report', 'json', '-o', 'out.json', '--platform', 'linux/arm64/v8', '--top', '5', '--no-digest']),
    ).toMatchObject({
      command: 'report',
      format: 'json',
      output: 'out.json',
      platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
      top: 5,
      hashContent: false,
      mouse: true,
    });
    expect(parseCommandLine(['img', '--no-mouse'])).toMatchObject({ mouse: false });
  });

  it('rejects what it cannot use with a usage error', () => {
    for (const argv of [[], ['a', 'b'], ['img', '--report', 'xml'], ['img', '--bogus'], ['img', '--top', '0'], ['img', '--platform', 'arm64'], ['docker-archive:'], ['--demo', 'img']]) {
      expect(() => parseCommandLine(argv), argv.join(' ')).toThrow(UsageError);
    }
  });

  it('lists every option in the help', () => {
    const help = helpText();
    for (const flag of ['--report', '--output', '--host', '--platform', '--top', '--no-digest', '--no-mouse', '--demo', 'docker-archive:', 'oci:']) {
      expect(help).toContain(flag);
    }
  });
});

describe('the build command line', () => {
  it('reads the build options, repeatable build args included', () => {
    expect(
      parseCommandLine(['build', '-f', 'Dockerfile.multi', '--build-arg', 'A=1', '--build-arg', 'B=x=y', '-t', 'app:1', '--target', 'final', '--network', 'host', '--report', 'md', '.']),
    ).toMatchObject({
      command: 'build',
      format: 'md',
      build: { context: '.', dockerfile: 'Dockerfile.multi', buildArgs: { A: '1', B: 'x=y' }, tag: 'app:1', target: 'final', network: 'host' },
    });
  });

  it('rejects a missing context, two contexts, a malformed build arg and --builder', () => {
    for (const argv of [['build'], ['build', 'a', 'b'], ['build', '--build-arg', 'NOEQUALS', '.'], ['build', '--builder', 'x', '.'], ['build', '--bogus', '.']]) {
      expect(() => parseCommandLine(argv), argv.join(' ')).toThrow(UsageError);
    }
  });

  it('has its own help', () => {
    expect(parseCommandLine(['build', '--help'])).toMatchObject({ command: 'help', build: {} });
    expect(buildHelpText()).toMatch(/--build-arg K=V[\s\S]*--network MODE/);
  });
});
