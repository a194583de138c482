// The npm package as users get it: `npm pack`, then `npm install -g` of the tarball into a
// temporary prefix, then the installed command. The package is packed from a copy of the
// sources (with this checkout's node_modules linked in for the build), so its build never
// rewrites the dist/ other tests are reading.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, mkdtempSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { version, license } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; license: string };
const work = mkdtempSync(join(tmpdir(), 'layerscope-pack-'));
const prefix = join(work, 'prefix');
const installed = join(prefix, 'lib', 'node_modules', 'layerscope');

let files: string[] = [];
let installLog = '';

/** Runs a command without blocking the test worker (npm takes minutes on a loaded machine); its stdout and stderr. */
async function run(command: string, args: readonly string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(command, [...args], { cwd, encoding: 'utf8', timeout: 540_000, maxBuffer: 64 << 20, env: { ...process.env, npm_config_update_notifier: 'false' } });
}

beforeAll(async () => {
  const copy = join(work, 'source');
  for (const name of ['package.json', 'package-lock.json', 'tsconfig.json', 'README.md', 'LICENSE', 'bin', 'src', 'components', 'schema', 'scripts']) {
    cpSync(join(ROOT, name), join(copy, name), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  // `npm pack` runs the package's prepare script: a clean build of dist/.
  await run('npm', ['pack', '--pack-destination', work], copy);
  const tarball = join(work, `layerscope-${version}.tgz`);
  files = (await run('tar', ['-tzf', tarball], work)).stdout.trim().split('\n').map((path) => path.replace(/^package\//, ''));
  const install = await run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], work);
  installLog = `${install.stdout}${install.stderr}`;
});

describe('the packed npm package', () => {
  it('ships the licence, the report schema, the executable and the build, and no source maps', () => {
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'dist/THIRD-PARTY-LICENSES.md', 'README.md', 'package.json', 'schema/report.schema.json', 'bin/layerscope.js', 'dist/src/app.js', 'dist/components/run-explorer.js']));
    expect(files.filter((path) => path.endsWith('.map'))).toEqual([]);
    expect(files.filter((path) => /\.tsx?$/.test(path))).toEqual([]);
    const built = files.filter((path) => path.endsWith('.js')).map((path) => readFileSync(join(installed, path), 'utf8'));
    expect(built.filter((text) => text.includes('sourceMappingURL'))).toEqual([]);
    expect(readFileSync(join(installed, 'LICENSE'), 'utf8')).toMatch(new RegExp(`^${license} License`));
  });

  it('installs globally with no warning and no install script to approve', () => {
    // npm 11 lists every dependency install script it has not been told to allow (npm 12 blocks
    // them). dockerode's tree has three (ssh2, cpu-features, protobufjs): it ships bundled instead.
    expect(installLog.split('\n').filter((line) => /^npm (warn|notice|error)/i.test(line))).toEqual([]);
    const installedPackages = readdirSync(join(installed, 'node_modules'));
    expect(installedPackages.filter((name) => ['dockerode', 'docker-modem', 'ssh2', 'cpu-features', 'protobufjs', '@grpc'].includes(name))).toEqual([]);
  });

  it('ships the licences of the code it bundles', () => {
    const licences = readFileSync(join(installed, 'dist', 'THIRD-PARTY-LICENSES.md'), 'utf8');
    expect(licences).toMatch(/^## dockerode@\S+ \(Apache-2\.0\)$/m);
    expect(licences).toMatch(/^## docker-modem@\S+ \(Apache-2\.0\)$/m);
    expect(licences).toContain('Apache License');
  });

  it('reads an image from the Docker Engine through the bundled client, as the checkout does', async () => {
    const args = ['layerscope-test/busybox:latest', '--report', 'json'];
    const fromPackage = JSON.parse((await run(join(prefix, 'bin', 'layerscope'), args, work)).stdout) as { image: unknown; findings: unknown };
    const fromCheckout = JSON.parse((await run(process.execPath, [join(ROOT, 'bin', 'layerscope.js'), ...args], work)).stdout) as { image: unknown; findings: unknown };
    expect(fromPackage.image).toEqual(fromCheckout.image);
    expect(fromPackage.findings).toEqual(fromCheckout.findings);
  });

  it('runs --version from the prefix', async () => {
    expect((await run(join(prefix, 'bin', 'layerscope'), ['--version'], work)).stdout).toBe(`layerscope ${version}\n`);
  });

  it('writes the demo report as JSON that the shipped schema accepts', async () => {
    const report: unknown = JSON.parse((await run(join(prefix, 'bin', 'layerscope'), ['--demo', '--report', 'json'], work)).stdout);
    const schema = JSON.parse(readFileSync(join(installed, 'schema', 'report.schema.json'), 'utf8')) as object;
    const validate = new Ajv2020.default({ allErrors: true, strict: false }).compile(schema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    // The version the shipped schema declares is the one the installed program writes.
    const declared = (schema as { properties: { schemaVersion: { const: number } } }).properties.schemaVersion.const;
    expect(report).toMatchObject({ schemaVersion: declared, tool: { name: 'layerscope', version } });
  });

  it('puts one command on the PATH', () => {
    expect(readdirSync(join(prefix, 'bin'))).toEqual(['layerscope']);
  });
});
