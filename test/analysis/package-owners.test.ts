import { describe, expect, it } from 'vitest';
import { analyseImage } from '../../src/analysis/analyse.js';
import { dir, file, parseSpec, whiteout, type TarEntrySpec } from '../helpers/archives.js';

// A JRE package ships lib/ct.sym (Debian's openjdk-17-jre-headless does, `dpkg -S` says so): the
// path alone looks like a JDK's, the dpkg database says whose file it is.
const JVM = 'usr/lib/jvm/java-17-openjdk-amd64';
const jvmFiles: TarEntrySpec[] = [dir('usr'), dir('usr/lib'), dir('usr/lib/jvm'), dir(JVM), dir(`${JVM}/lib`), dir(`${JVM}/bin`), file(`${JVM}/lib/ct.sym`, 8000), file(`${JVM}/bin/java`, 100, 0o755)];
const dpkgDirs: TarEntrySpec[] = [dir('var'), dir('var/lib'), dir('var/lib/dpkg'), dir('var/lib/dpkg/info')];
const list = (name: string, paths: string[]): TarEntrySpec => file(`var/lib/dpkg/info/${name}.list`, `/.\n${paths.map((path) => `/${path}`).join('\n')}\n`);
const base: TarEntrySpec[] = [dir('bin'), file('bin/sh', 2000, 0o755)];

async function jdkFinding(install: TarEntrySpec[], more: TarEntrySpec[][] = []) {
  const image = await parseSpec({ layout: 'docker-save', images: [{ layers: [base, install, ...more] }] });
  return analyseImage(image).findings.find((finding) => finding.ruleId === 'jdk-tools');
}

describe('toolchain rules against the package that owns a file', () => {
  it('keeps a file the JRE package owns out of the JDK finding', async () => {
    const owned = [...jvmFiles, ...dpkgDirs, list('openjdk-17-jre-headless:amd64', [`${JVM}/lib/ct.sym`, `${JVM}/bin/java`])];
    expect(await jdkFinding(owned)).toBeUndefined();
  });

  it('flags the same file when a JDK package owns it, or when no dpkg database says', async () => {
    const jdk = [...jvmFiles, ...dpkgDirs, list('openjdk-17-jdk-headless:amd64', [`${JVM}/lib/ct.sym`])];
    expect(await jdkFinding(jdk)).toMatchObject({ bytes: 8000, files: 1 });
    expect(await jdkFinding(jvmFiles)).toMatchObject({ bytes: 8000, files: 1 });
  });

  it("goes by the list the final tree shows: a removed package's list says nothing", async () => {
    const owned = [...jvmFiles, ...dpkgDirs, list('openjdk-17-jre-headless:amd64', [`${JVM}/lib/ct.sym`])];
    // A later layer deletes the JRE's list (as `dpkg --purge` would) but leaves the file.
    expect(await jdkFinding(owned, [[whiteout('var/lib/dpkg/info/openjdk-17-jre-headless:amd64.list')]])).toMatchObject({ bytes: 8000 });
  });
});
