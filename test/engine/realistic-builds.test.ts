// Builds seen in the wild (build-fixtures/python-venv, rust-app, java-jre): a Python app with a C
// extension in a venv, a Rust app built with cargo, a Java app on a headless JRE. Each statement
// the report makes is checked against the image itself (stat in containers, docker history, dpkg),
// and the advice that claims to remove bytes is applied to the Dockerfile and built.

import { cpSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBinAsync } from '../helpers/run-bin.js';
import { dockerCli, inContainer, requireEngine } from './engine.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./build-fixtures/${name}/`, import.meta.url));

interface Finding {
  rule: string;
  category: string;
  bytes: number;
  files: number;
  layer: { index: number; instruction: string };
  hiddenBy: { index: number } | null;
  paths: { path: string; bytes: number }[];
  advice: string;
}
interface Report {
  figures: { imageBytes: number };
  layers: { index: number; createdBy: string; origin: { kind: string; stage: string | null } }[];
  findings: Finding[];
  stageComparison: {
    carriedOver: { files: number; bytes: number; list: { path: string; stage: string; builderPath: string }[] };
    leftBehind: { categories: { category: string; bytes: number; paths: { path: string }[] }[] };
  } | null;
}

/** `layerscope build` of a context as JSON (the final image tagged `tag`, its stages `tag-NAME`). */
async function build(tag: string, context: string): Promise<Report> {
  const result = await runBinAsync(['build', '-t', tag, '--network', 'host', '--report', 'json', '--no-progress', '--top', '50', context], {}, 890_000);
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Report;
}

async function report(ref: string): Promise<Report> {
  const result = await runBinAsync([ref, '--report', 'json', '--no-progress', '--top', '50'], {}, 290_000);
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Report;
}

/** Σ sizes of the regular files `find ARGS` lists, in a container of the image. */
const fileBytes = (ref: string, args: string): number =>
  Number(inContainer(ref, `find ${args} -type f -exec stat -c %s {} + | awk '{ s += $1 } END { print s + 0 }'`).trim());

const findingsOf = (report: Report, rule: string, layer?: number): Finding[] =>
  report.findings.filter((finding) => finding.rule === rule && (layer === undefined || finding.layer.index === layer));

describe('a Python app with a C extension in a venv, copied from a builder stage', () => {
  const FINAL = 'layerscope-fixture/python-venv:latest';
  let built: Report;
  beforeAll(async () => {
    await requireEngine();
    built = await build(FINAL, fixture('python-venv'));
  }, 900_000);

  it("calls the classic builder's `COPY dir:… in /opt/venv` a COPY --from=build, as the Dockerfile says, and carries the venv over", () => {
    const history = dockerCli(['history', '--no-trunc', '--format', '{{.CreatedBy}}', FINAL]).toString();
    expect(history).toMatch(/COPY dir:[0-9a-f]+ in \/opt\/venv/);
    const copy = built.layers.find((layer) => /COPY dir:[0-9a-f]+ in \/opt\/venv/.test(layer.createdBy));
    expect(copy?.origin).toEqual({ kind: 'stage', stage: 'build' });
    // Carried over: every non-empty file of the venv (the chown after the COPY rewrote them, not their origin).
    const carried = built.stageComparison?.carriedOver;
    expect(carried?.bytes).toBe(fileBytes(FINAL, '/opt/venv'));
    expect(carried?.files).toBe(Number(inContainer(FINAL, 'find /opt/venv -type f -size +0 | wc -l').trim()));
    expect(carried?.list.every((file) => file.stage === 'build' && file.path.startsWith('opt/venv/'))).toBe(true);
    // No finding calls the venv's files "from the build context".
    const onVenv = built.findings.filter((finding) => finding.paths.some((item) => item.path.startsWith('opt/venv/')));
    expect(onVenv.map((finding) => finding.advice).filter((advice) => /dockerignore|build context/.test(advice))).toEqual([]);
  });

  it('tells the ADD of the app to leave the tests out, never to delete them in the same RUN', () => {
    const [deleted] = findingsOf(built, 'deleted-later');
    expect(deleted?.bytes).toBe(statSync(join(fixture('python-venv'), 'app/tests/test_main.py')).size);
    expect(deleted?.layer.instruction).toMatch(/^ADD dir:/);
    expect(deleted?.advice).not.toMatch(/same RUN/);
    expect(deleted?.advice).toContain('.dockerignore');
  });

  it('does not offer PYTHONDONTWRITEBYTECODE, and sends the .pyc of the copied venv back to the stage that compiled them', () => {
    const apt = findingsOf(built, 'pycache', 1)[0];
    expect(apt?.bytes).toBe(fileBytes(FINAL, "/usr -path '*/__pycache__/*.pyc'"));
    expect(apt?.advice).not.toMatch(/set PYTHONDONTWRITEBYTECODE/);
    const venv = built.findings.find((finding) => finding.rule === 'pycache' && finding.paths[0]?.path.startsWith('opt/venv/'));
    expect(venv?.advice).toMatch(/only rewrites them with the same content .*copies them from stage build, which byte-compiled them/);
  });

  it('proposes the venv as what to copy from the build stage, not build/lib* or the sources', async () => {
    const builder = await report(`${FINAL}-build`);
    const gcc = findingsOf(builder, 'c-toolchain')[0];
    expect(gcc?.advice).toMatch(/likely artifacts to copy: \/opt\/venv$/);
    // The extension is in the venv, and its intermediate copy in build/lib* is not proposed.
    expect(inContainer(`${FINAL}-build`, 'ls /opt/venv/lib/python3.11/site-packages/ /src/ext/build/').toString()).toMatch(/speedup\.cpython-311-x86_64-linux-gnu\.so[\s\S]*lib\.linux/);
  });

  it('removes the bytes when the advice is applied: COPY --chown (classic builder) and __pycache__ deleted in the RUN that installs python3', async () => {
    const chown = findingsOf(built, 'metadata-only').find((finding) => finding.paths[0]?.path.startsWith('opt/venv/'));
    expect(chown?.advice).toContain('`COPY --chown=…` (any builder) or `COPY --chmod=…` (BuildKit only; with the classic builder, set the mode on the files in stage build)');
    expect(chown?.bytes).toBe(fileBytes(FINAL, '/opt/venv'));
    const context = mkdtempSync(join(tmpdir(), 'layerscope-python-advice-'));
    cpSync(fixture('python-venv'), context, { recursive: true });
    const dockerfile = join(context, 'Dockerfile');
    const text = readFileSync(dockerfile, 'utf8');
    const fixed = text
      .replace('COPY --from=build /opt/venv /opt/venv\nRUN chown -R app /opt/venv\n', 'COPY --chown=app --from=build /opt/venv /opt/venv\n')
      .replace('python3 && rm -rf /var/lib/apt/lists/*', 'python3 && rm -rf /var/lib/apt/lists/* && find / -xdev -name __pycache__ -prune -exec rm -rf {} +');
    expect(fixed.split('\n').length).toBe(text.split('\n').length - 1);
    writeFileSync(dockerfile, fixed);
    const after = await build('layerscope-fixture/python-venv-fixed:latest', context);
    expect(findingsOf(after, 'metadata-only').filter((finding) => finding.paths[0]?.path.startsWith('opt/venv/'))).toEqual([]);
    expect(findingsOf(after, 'pycache', 1)).toEqual([]);
    expect(fileBytes('layerscope-fixture/python-venv-fixed:latest', "/usr -name '*.pyc'")).toBe(0);
    expect(inContainer('layerscope-fixture/python-venv-fixed:latest', 'stat -c %U /opt/venv/bin/python3 && /opt/venv/bin/python /app/main.py')).toBe('app\n42\n');
    expect(built.figures.imageBytes - after.figures.imageBytes).toBeGreaterThanOrEqual((chown?.bytes ?? Infinity) + (findingsOf(built, 'pycache', 1)[0]?.bytes ?? Infinity));
  }, 900_000);
});

describe('a Rust app built with cargo in a builder stage', () => {
  const FINAL = 'layerscope-fixture/rust-app:latest';
  let built: Report;
  let builder: Report;
  beforeAll(async () => {
    await requireEngine();
    built = await build(FINAL, fixture('rust-app'));
    builder = await report(`${FINAL}-build`);
  }, 900_000);

  it('carries over the binary and leaves the toolchain, its driver library and target/ behind', () => {
    expect(built.stageComparison?.carriedOver.list.map((file) => file.path)).toEqual(['usr/local/bin/hello']);
    const toolchain = built.stageComparison?.leftBehind.categories.find((category) => category.category === 'toolchain');
    const rust = fileBytes(`${FINAL}-build`, '/usr/lib/rustlib') + fileBytes(`${FINAL}-build`, "/usr/lib/x86_64-linux-gnu -name 'librustc_driver-*.so'");
    expect(toolchain?.bytes).toBeGreaterThanOrEqual(rust + fileBytes(`${FINAL}-build`, '/src/hello/target/release -mindepth 2') - fileBytes(FINAL, '/usr/local/bin/hello'));
  });

  it("finds target/ and librustc_driver in the build stage, and calls libLLVM no C compiler", () => {
    const target = findingsOf(builder, 'rust-target')[0];
    // Everything cargo made in target/ but the binaries at the top of target/release (the artifact).
    expect(target?.bytes).toBe(fileBytes(`${FINAL}-build`, '/src/hello/target/release -mindepth 2'));
    const rust = findingsOf(builder, 'rust-toolchain')[0];
    const driver = inContainer(`${FINAL}-build`, 'ls /usr/lib/x86_64-linux-gnu/librustc_driver-*.so').trim().slice(1);
    expect(rust?.paths.map((item) => item.path)).toContain(driver);
    expect(inContainer(`${FINAL}-build`, `dpkg -S /${driver}`)).toMatch(/^libstd-rust-[\d.]+:amd64: /);
    const cCompiler = findingsOf(builder, 'c-toolchain').flatMap((finding) => finding.paths.map((item) => item.path));
    expect(cCompiler.filter((path) => /libLLVM/.test(path))).toEqual([]);
    expect(findingsOf(builder, 'llvm-library')[0]?.paths[0]?.path).toBe('usr/lib/x86_64-linux-gnu/libLLVM-14.so.1');
  });

  it('proposes target/release/hello as what to copy, not the hashed copy in target/release/deps', () => {
    const rust = findingsOf(builder, 'rust-toolchain')[0];
    expect(rust?.advice).toMatch(/likely artifacts to copy: \/src\/hello\/target\/release\/hello$/);
    // The two names are one file (cargo hardlinks them).
    expect(inContainer(`${FINAL}-build`, 'stat -c %h /src/hello/target/release/hello').trim()).toBe('2');
  });
});

describe('a Java app on a headless JRE alone', () => {
  const FINAL = 'layerscope-fixture/java-jre:latest';
  let built: Report;
  beforeAll(async () => {
    await requireEngine();
    built = await build(FINAL, fixture('java-jre'));
  }, 900_000);

  it("says nothing of a JDK for files the JRE package owns (lib/ct.sym), as dpkg -S tells", () => {
    const jvm = '/usr/lib/jvm/java-17-openjdk-amd64';
    expect(inContainer(FINAL, `dpkg -S ${jvm}/lib/ct.sym`)).toMatch(/^openjdk-17-jre-headless:amd64: /);
    expect(inContainer(FINAL, "dpkg -l | awk '/^ii/ { print $2 }' | grep -c -- '-jdk' || true").trim()).toBe('0'); // no JDK package
    expect(findingsOf(built, 'jdk-tools')).toEqual([]);
    expect(inContainer(FINAL, 'java /app/Hello.java')).toBe('hello from a JRE\n');
  });
});
