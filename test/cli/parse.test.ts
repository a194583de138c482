import { describe, expect, it } from 'vitest';
import { buildHelpText, helpText } from '../../src/cli/help.js';
import { parseCommandLine } from '../../src/cli/parse.js';
import type { ParseContext } from '../../src/cli/plan.js';
import { UsageError } from '../../src/errors.js';

const PIPE: ParseContext = { interactive: false };
const TERMINAL: ParseContext = { interactive: true };

/** The UsageError a command line gives, or undefined when it parses. */
function usageError(argv: readonly string[], context: ParseContext = PIPE): UsageError | undefined {
  try {
    parseCommandLine(argv, context);
    return undefined;
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
}

describe('the command line', () => {
  it('reads an engine image reference, an archive and an OCI layout', () => {
    expect(parseCommandLine(['alpine:3.20'], PIPE)).toMatchObject({ target: { kind: 'engine', reference: 'alpine:3.20' } });
    expect(parseCommandLine(['docker-archive:./x.tar'], PIPE)).toMatchObject({
      target: { kind: 'docker-archive', reference: 'docker-archive:./x.tar', path: './x.tar' },
    });
    expect(parseCommandLine(['oci:/tmp/layout'], PIPE)).toMatchObject({ target: { kind: 'oci', path: '/tmp/layout' } });
    expect(parseCommandLine(['--demo'], PIPE)).toMatchObject({ target: { kind: 'demo' } });
  });

  it('explores on a terminal, and reports into a pipe or when --report, -o or --ci is given', () => {
    expect(parseCommandLine(['img'], TERMINAL)).toEqual({ command: 'explore', target: { kind: 'engine', reference: 'img', name: 'img' }, read: { hashContent: true }, top: 20, mouse: true });
    expect(parseCommandLine(['img'], PIPE)).toEqual({ command: 'report', target: { kind: 'engine', reference: 'img', name: 'img' }, read: { hashContent: true }, top: 20, format: 'md' });
    for (const extra of [['--report', 'json'], ['-o', 'r.md'], ['--ci']]) {
      expect(parseCommandLine(['img', ...extra], TERMINAL).command, extra.join(' ')).toBe('report');
    }
  });

  it('reads the report options', () => {
    expect(parseCommandLine(['img', '--report', 'json', '-o', 'out.json', '--platform', 'linux/arm64/v8', '--top', '5', '--no-digest', '--no-progress'], PIPE)).toEqual({
      command: 'report',
      target: { kind: 'engine', reference: 'img', name: 'img' },
      format: 'json',
      output: 'out.json',
      read: { platform: { os: 'linux', architecture: 'arm64', variant: 'v8' }, hashContent: false },
      top: 5,
      progress: false,
    });
    expect(parseCommandLine(['img', '--no-mouse'], TERMINAL)).toMatchObject({ command: 'explore', mouse: false });
  });

  it('reads --dockerfile and the CI report formats, and asks code quality for a Dockerfile', () => {
    expect(parseCommandLine(['img', '--dockerfile', 'ci/Dockerfile', '--report', 'sarif'], PIPE)).toMatchObject({ format: 'sarif', dockerfile: { path: 'ci/Dockerfile' } });
    for (const format of ['junit', 'codequality', 'md', 'json']) {
      expect(parseCommandLine(['img', '--report', format, '--dockerfile', 'Dockerfile'], PIPE)).toMatchObject({ command: 'report', format });
    }
    expect(usageError(['img', '--report', 'codequality'])?.message).toBe('GitLab places code quality issues on lines of a file: --report codequality needs --dockerfile PATH');
    expect(usageError(['img', '--report', 'xml'])?.hint).toBe('e.g. --report md'); // the message lists every format
    expect(usageError(['img', '--dockerfile', 'Dockerfile'], TERMINAL)?.message).toBe('--dockerfile has no effect in the explorer');
    expect(usageError(['build', '--dockerfile', 'Dockerfile', '.'])?.message).toBe('--dockerfile does not apply to layerscope build');
    // layerscope build knows its Dockerfile: code quality needs nothing more.
    expect(parseCommandLine(['build', '--report', 'codequality', '.'], PIPE)).toMatchObject({ command: 'build', then: { format: 'codequality' } });
  });

  it('passes the CI thresholds on under their gate keys', () => {
    expect(parseCommandLine(['img', '--ci', '--max-size', '1MB', '--fail-on', 'toolchain', '--fail-on', 'temp', '--ci-config', 'x.yml'], PIPE)).toMatchObject({
      ci: { flags: { maxSize: '1MB', failOn: ['toolchain', 'temp'] }, diveCiPath: 'x.yml' },
    });
  });

  it('rejects what it cannot use with a usage error', () => {
    for (const argv of [[], ['a', 'b'], ['img', '--report', 'xml'], ['img', '--bogus'], ['img', '--top', '0'], ['img', '--platform', 'arm64'], ['docker-archive:'], ['--demo', 'img'], ['img', '-f', 'Dockerfile']]) {
      expect(usageError(argv), argv.join(' ')).toBeInstanceOf(UsageError);
    }
  });

  it('says what is wrong with a negative, fractional or missing --top', () => {
    expect(usageError(['img', '--top', '-1'])?.message).toBe('--top takes a whole number above 0, not "-1"');
    expect(usageError(['img', '--top', '2.5'])?.message).toBe('--top takes a whole number above 0, not "2.5"');
    expect(usageError(['img', '--top'])?.message).toBe('--top needs a value');
    expect(usageError(['img', '-o', '-x'])).toMatchObject({ message: '-o needs a value', hint: 'a value that starts with a dash is written -o=VALUE' });
    expect(usageError(['img', '--ci=yes'])?.message).toBe('--ci takes no value');
    expect(usageError(['img', '--bogus'])?.message).toBe('unknown option --bogus');
    expect(usageError(['img', '--report', 'xml'])).toMatchObject({ message: '--report takes md, json, sarif, junit or codequality, not "xml"', hint: 'e.g. --report md' });
  });

  it('refuses --compare in the explorer, which does not show it, with the way to get it', () => {
    expect(usageError(['img', '--compare', 'old'], TERMINAL)).toMatchObject({
      message: '--compare has no effect in the explorer',
      hint: 'write a report instead: add --report md (or -o FILE)',
    });
    expect(parseCommandLine(['img', '--compare', 'old', '--report', 'md'], TERMINAL)).toMatchObject({ compare: { reference: 'old' } });
  });

  it('refuses a threshold without --ci, and --no-mouse on a report', () => {
    expect(usageError(['img', '--max-size', '1GB'])?.message).toBe('--max-size takes effect with --ci');
    expect(usageError(['img', '--no-mouse'])?.message).toBe('--no-mouse has no effect on a report');
  });

  it('lists every option in the help', () => {
    const help = helpText();
    for (const flag of ['--report md|json|sarif|junit|codequality', '-o, --output FILE', '--host', '--platform', '--top N', '(default 20)', '--no-digest', '--no-mouse', '--demo', 'docker-archive:', 'oci:']) {
      expect(help).toContain(flag);
    }
    expect(help).not.toContain('--network');
  });
});

describe('the build command line', () => {
  it('reads the build options, repeatable build args included', () => {
    expect(
      parseCommandLine(['build', '-f', 'Dockerfile.multi', '--build-arg', 'A=1', '--build-arg', 'B=x=y', '-t', 'app:1', '--target', 'final', '--network', 'host', '--report', 'md', '.'], TERMINAL),
    ).toMatchObject({
      command: 'build',
      build: { context: '.', dockerfile: 'Dockerfile.multi', buildArgs: { A: '1', B: 'x=y' }, tag: 'app:1', target: 'final', network: 'host' },
      then: { command: 'report', format: 'md' },
    });
  });

  it('gates the built image with --ci, compares it with --compare and builds for --platform', () => {
    expect(parseCommandLine(['build', '--ci', '--max-size', '1MB', '--compare', 'app:main', '--platform', 'linux/amd64', '.'], TERMINAL)).toEqual({
      command: 'build',
      build: { context: '.', buildArgs: {}, platform: { os: 'linux', architecture: 'amd64' } },
      then: {
        command: 'report',
        format: 'md',
        top: 20,
        read: { hashContent: true, platform: { os: 'linux', architecture: 'amd64' } },
        compare: { kind: 'engine', reference: 'app:main', name: 'app:main' },
        ci: { flags: { maxSize: '1MB' } },
      },
    });
  });

  it('rejects a missing context, two contexts, a malformed build arg, --builder and --demo', () => {
    for (const argv of [['build'], ['build', 'a', 'b'], ['build', '--build-arg', 'NOEQUALS', '.'], ['build', '--builder', 'x', '.'], ['build', '--demo', '.'], ['build', '--bogus', '.']]) {
      expect(usageError(argv), argv.join(' ')).toBeInstanceOf(UsageError);
    }
  });

  it('has its own help', () => {
    expect(parseCommandLine(['build', '--help'], PIPE)).toEqual({ command: 'help', topic: 'build' });
    expect(buildHelpText()).toMatch(/--build-arg K=V[\s\S]*--network MODE[\s\S]*--ci[\s\S]*--max-size SIZE/);
    expect(buildHelpText()).not.toMatch(/--builder|--demo/);
  });
});
