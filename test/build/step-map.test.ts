import { describe, expect, it } from 'vitest';
import { layerPlacements } from '../../src/build/layer-placements.js';
import { mapSteps, type StepPlacement } from '../../src/build/step-map.js';
import type { HistoryStep } from '../../src/model/types.js';

const lines = (...text: string[]): string => `${text.join('\n')}\n`;

/** History steps as the image config holds them: `[created_by, empty_layer]`. */
const history = (...steps: readonly (readonly [string, boolean?])[]): HistoryStep[] =>
  steps.map(([createdBy, emptyLayer]) => ({ createdBy, emptyLayer: emptyLayer === true }));

/** Line of each step ('base', 'unplaced', or `line:stage`). */
const placedLines = (steps: readonly StepPlacement[]): string[] =>
  steps.map((step) => (step.kind === 'instruction' ? `${step.line}:${step.stageName ?? step.stage}` : step.kind));

// Built with `DOCKER_BUILDKIT=0 docker build --network=host` on Docker Engine 20.10.24 (the
// engine of this project's tests); the histories below are the image configs' `history`,
// verbatim, read from `docker save`. layerscope-test/busybox is an imported rootfs: its one
// step has no created_by.
const CLASSIC_DOCKERFILE = lines(
  'ARG BASE=layerscope-test/busybox', //                                   1
  'FROM ${BASE} AS build',
  'ARG VERSION=1.2',
  'ENV OUT=/out',
  'RUN mkdir -p $OUT && \\', //                                            5
  '    echo "$VERSION" > $OUT/version \\',
  ' && echo done',
  'WORKDIR ${OUT}/work',
  'RUN ["sh", "-c", "echo exec > /out/exec.txt"]',
  '', //                                                                   10
  'FROM layerscope-test/busybox',
  'LABEL org.example.a=1 b="two words"',
  'ARG DEST=/app',
  'ENV HOME_DIR=/home/app',
  'COPY a.txt ${DEST}/', //                                                15
  'COPY a.txt b.txt /multi/',
  'COPY dir /dir',
  'ADD b.txt /added.txt',
  'COPY --from=build /out /from-build',
  'COPY --from=0 /out/version /v', //                                      20
  'COPY --chown=1:1 a.txt /owned.txt',
  'WORKDIR /app',
  'WORKDIR sub',
  'RUN echo relative > file',
  'SHELL ["/bin/sh", "-e", "-c"]', //                                      25
  'RUN echo shell > /shell.txt',
  'USER 1000',
  'EXPOSE 8080/tcp 9090',
  'VOLUME /data',
  'STOPSIGNAL SIGTERM', //                                                 30
  'HEALTHCHECK --interval=5s CMD true',
  'ONBUILD RUN echo onbuild',
  'ENTRYPOINT ["/bin/sh"]',
  'CMD ["-c", "echo hi"]',
);

const CLASSIC_FINAL = history(
  [''],
  ['/bin/sh -c #(nop)  LABEL org.example.a=1 b=two words', true],
  ['/bin/sh -c #(nop)  ARG DEST=/app', true],
  ['/bin/sh -c #(nop)  ENV HOME_DIR=/home/app', true],
  ['/bin/sh -c #(nop) COPY file:a596f0888def06c3cad1442667ede22d419985a1c8a3155b838b650c4cf52ecc in /app/ '],
  ['/bin/sh -c #(nop) COPY multi:59e3963f5e7d6137120d6afcd1a6ca6a02dfe35f6ed41d7b8cbee2bf80896577 in /multi/ '],
  ['/bin/sh -c #(nop) COPY dir:ebce85af4a082a56d331e2f1adcd4fe6a225c5e497cc87a8fba5db35f803190a in /dir '],
  ['/bin/sh -c #(nop) ADD file:8346c288c574467d6f3039449e393268193a19ab233569eae61383976fb3ba8c in /added.txt '],
  ['/bin/sh -c #(nop) COPY dir:7e750cde73e3164db2bde00a279403e5b8710369184e60f61a3056992be7d0cb in /from-build '],
  ['/bin/sh -c #(nop) COPY file:b47b889075d5f7fcbfd77674dd2c6b68767807454ca2a83061252682efae3463 in /v '],
  ['/bin/sh -c #(nop) COPY --chown=1:1file:a596f0888def06c3cad1442667ede22d419985a1c8a3155b838b650c4cf52ecc in /owned.txt '],
  ['/bin/sh -c #(nop) WORKDIR /app', true],
  ['/bin/sh -c #(nop) WORKDIR /app/sub'],
  ['|1 DEST=/app /bin/sh -c echo relative > file'],
  ['/bin/sh -e -c #(nop)  SHELL [/bin/sh -e -c]', true],
  ['|1 DEST=/app /bin/sh -e -c echo shell > /shell.txt'],
  ['/bin/sh -e -c #(nop)  USER 1000', true],
  ['/bin/sh -e -c #(nop)  EXPOSE 8080/tcp 9090', true],
  ['/bin/sh -e -c #(nop)  VOLUME [/data]', true],
  ['/bin/sh -e -c #(nop)  STOPSIGNAL SIGTERM', true],
  ['/bin/sh -e -c #(nop)  HEALTHCHECK &{["CMD-SHELL" "true"] "5s" "0s" "0s" \'\\x00\'}', true],
  ['/bin/sh -e -c #(nop)  ONBUILD RUN echo onbuild', true],
  ['/bin/sh -e -c #(nop)  ENTRYPOINT ["/bin/sh"]', true],
  ['/bin/sh -e -c #(nop)  CMD ["-c" "echo hi"]', true],
);

const CLASSIC_BUILD_STAGE = history(
  [''],
  ['/bin/sh -c #(nop)  ARG VERSION=1.2', true],
  ['/bin/sh -c #(nop)  ENV OUT=/out', true],
  ['|1 VERSION=1.2 /bin/sh -c mkdir -p $OUT &&     echo "$VERSION" > $OUT/version  && echo done'],
  ['/bin/sh -c #(nop) WORKDIR /out/work'],
  ['|1 VERSION=1.2 sh -c echo exec > /out/exec.txt'],
);

describe('placing classic-builder history on a Dockerfile', () => {
  it('places every step of the final stage on its instruction, the base image\'s step on the base', () => {
    const map = mapSteps(CLASSIC_DOCKERFILE, CLASSIC_FINAL, { file: 'Dockerfile' });
    expect(map.stage).toBe(1);
    expect(placedLines(map.steps)).toEqual(['base', ...Array.from({ length: 23 }, (_, at) => `${12 + at}:1`)]);
    expect(map.unplaced).toEqual([]);
    expect(map.missing).toEqual([]);
    // The base image's step is the FROM's doing.
    expect(map.steps[0]).toEqual({ kind: 'base', file: 'Dockerfile', line: 11, endLine: 11, stage: 1, keyword: 'FROM' });
  });

  it('says where each COPY took its files from: the context, or a stage by name or index', () => {
    const map = mapSteps(CLASSIC_DOCKERFILE, CLASSIC_FINAL, { file: 'Dockerfile' });
    const origins = map.steps.flatMap((step) => (step.kind === 'instruction' && step.origin ? [[step.line, step.keyword, step.origin]] : []));
    expect(origins).toEqual([
      [15, 'COPY', { kind: 'context' }],
      [16, 'COPY', { kind: 'context' }],
      [17, 'COPY', { kind: 'context' }],
      [18, 'ADD', { kind: 'context' }],
      [19, 'COPY', { kind: 'stage', stage: 0, name: 'build' }],
      [20, 'COPY', { kind: 'stage', stage: 0, name: 'build' }],
      [21, 'COPY', { kind: 'context' }],
    ]);
  });

  it('places a multi-line RUN on its first line and finds the builder stage for the builder image', () => {
    const map = mapSteps(CLASSIC_DOCKERFILE, CLASSIC_BUILD_STAGE, { file: 'Dockerfile' });
    expect(map).toMatchObject({ stage: 0, stageName: 'build', unplaced: [], missing: [] });
    expect(placedLines(map.steps)).toEqual(['base', '3:build', '4:build', '5:build', '8:build', '9:build']);
    expect(map.steps[3]).toMatchObject({ kind: 'instruction', line: 5, endLine: 7, keyword: 'RUN', file: 'Dockerfile' });
  });

  it('substitutes ARG and ENV values in COPY and WORKDIR paths, and build args over defaults', () => {
    const text = lines('FROM busybox', 'ARG DEST=/srv', 'ENV SUB=data', 'COPY a.txt ${DEST}/$SUB/', 'WORKDIR $DEST', 'WORKDIR ${SUB}');
    const steps = history(
      ['/bin/sh -c #(nop) ADD file:0123abcd in / '],
      ['/bin/sh -c #(nop)  CMD ["sh"]', true],
      ['/bin/sh -c #(nop)  ARG DEST=/srv', true],
      ['/bin/sh -c #(nop)  ENV SUB=data', true],
      ['/bin/sh -c #(nop) COPY file:aa11 in /opt/data/ '],
      ['/bin/sh -c #(nop) WORKDIR /opt', true],
      ['/bin/sh -c #(nop) WORKDIR /opt/data'],
    );
    const withArg = mapSteps(text, steps, { file: 'Dockerfile', buildArgs: { DEST: '/opt' } });
    expect(placedLines(withArg.steps)).toEqual(['base', 'base', '2:0', '3:0', '4:0', '5:0', '6:0']);
    // Without --build-arg the paths say /srv: the COPY and WORKDIRs no longer fit and are named.
    const without = mapSteps(text, steps, { file: 'Dockerfile' });
    expect(without.missing.map((step) => step.line)).toEqual([4, 5, 6]);
    expect(without.unplaced).toEqual([4, 5, 6]);
  });

  it('carries the stages an image is built FROM, with their own instructions, and the target stage', () => {
    const text = lines('FROM busybox AS deps', 'RUN echo deps > /deps', 'FROM deps AS app', 'COPY app /app', 'FROM busybox AS other', 'RUN true');
    const steps = history(
      ['/bin/sh -c #(nop) ADD file:0123abcd in / '],
      ['/bin/sh -c #(nop)  CMD ["sh"]', true],
      ['/bin/sh -c echo deps > /deps'],
      ['/bin/sh -c #(nop) COPY file:bb22 in /app '],
    );
    const map = mapSteps(text, steps, { file: 'Dockerfile', target: 'app' });
    expect(placedLines(map.steps)).toEqual(['base', 'base', '2:deps', '4:app']);
    expect(map).toMatchObject({ stage: 1, stageName: 'app' });
    expect(map.steps[1]).toMatchObject({ kind: 'base', line: 1, stage: 0, stageName: 'deps' });
    // Chosen without --target too: the `other` stage fits none of these steps.
    expect(mapSteps(text, steps, { file: 'Dockerfile' }).stage).toBe(1);
  });

  it('does not take the base image\'s CMD for the Dockerfile\'s, and names steps no instruction fits', () => {
    const text = lines('FROM debian:bookworm', 'RUN apt-get update', 'CMD ["bash"]');
    const steps = history(
      ['/bin/sh -c #(nop) ADD file:9c8e1b3a in / '],
      ['/bin/sh -c #(nop)  CMD ["bash"]', true],
      ['/bin/sh -c apt-get update'],
      ['/bin/sh -c rm -rf /var/lib/apt/lists/*'],
      ['/bin/sh -c #(nop)  CMD ["bash"]', true],
    );
    const map = mapSteps(text, steps, { file: 'Dockerfile' });
    expect(placedLines(map.steps)).toEqual(['base', 'base', '2:0', 'unplaced', '3:0']);
    expect(map.unplaced).toEqual([3]);
  });

  it('places nothing, and says so, when the Dockerfile is not the image\'s', () => {
    const map = mapSteps(lines('FROM alpine', 'RUN apk add curl'), CLASSIC_BUILD_STAGE, { file: 'other/Dockerfile' });
    expect(map.steps.every((step) => step.kind === 'unplaced')).toBe(true);
    expect(map.missing).toMatchObject([{ line: 2, keyword: 'RUN', file: 'other/Dockerfile' }]);
  });
});

// BuildKit is not available on this engine (Docker Engine 20.10 with a CLI that has no buildx), so
// these histories are BuildKit's own: the Dockerfile and the asserted created_by strings of
// moby/buildkit frontend/dockerfile/dockerfile_history_test.go (testExportedHistory,
// testExportedHistoryFlattenArgs), completed from dockerfile2llb's commitToHistory formats, after
// busybox's two base steps.
describe('placing BuildKit history on a Dockerfile', () => {
  const busybox = [['/bin/sh -c #(nop) ADD file:7e9002edaafd4e4579b65c8f0aaabde1aeb7fd3f8d95579f7a0d4bc5a6c8ba1b in / '], ['/bin/sh -c #(nop)  CMD ["sh"]', true]] as const;

  it('places RUN, COPY --from, WORKDIR, LABEL and EXPOSE steps, and knows COPY --from though the step does not say it', () => {
    const text = lines(
      'FROM busybox AS base',
      'ENV foo=bar',
      'COPY foo /foo2',
      'FROM busybox',
      'LABEL lbl=val',
      'COPY --from=base foo2 foo3',
      'WORKDIR /',
      'RUN echo bar > foo4',
      'RUN ["ls"]',
      'EXPOSE 2375 5000 1234/udp',
    );
    const steps = history(
      ...busybox,
      ['LABEL lbl=val', true],
      ['COPY foo2 foo3 # buildkit'],
      ['WORKDIR /', true],
      ['RUN /bin/sh -c echo bar > foo4 # buildkit'],
      ['RUN ls # buildkit'],
      ['EXPOSE [1234/udp 2375/tcp 5000/tcp]', true],
    );
    const map = mapSteps(text, steps, { file: 'Dockerfile' });
    expect(placedLines(map.steps)).toEqual(['base', 'base', '5:1', '6:1', '7:1', '8:1', '9:1', '10:1']);
    expect(map.steps[3]).toMatchObject({ keyword: 'COPY', origin: { kind: 'stage', stage: 0, name: 'base' } });
  });

  it('reads the build-arg prefix BuildKit puts on a RUN, and a multi-line RUN with a comment inside', () => {
    const text = lines(
      'FROM busybox',
      'ARG foo=bar',
      'ARG bar=123',
      'ARG foo=bar2',
      'RUN ls /etc/',
      'RUN --mount=type=cache,target=/root/.cache apt-get update \\',
      '    # refresh the lists first',
      '    && apt-get install -y curl',
      'COPY --chown=10:10 ${foo}.txt /srv/',
    );
    const steps = history(
      ...busybox,
      ['ARG foo=bar', true],
      ['ARG bar=123', true],
      ['ARG foo=bar2', true],
      ['RUN |2 foo=bar2 bar=123 /bin/sh -c ls /etc/ # buildkit'],
      ['RUN |2 foo=bar2 bar=123 /bin/sh -c apt-get update     && apt-get install -y curl # buildkit'],
      ['COPY --chown=10:10 bar2.txt /srv/ # buildkit'],
    );
    const map = mapSteps(text, steps, { file: 'Dockerfile' });
    expect(placedLines(map.steps)).toEqual(['base', 'base', '2:0', '3:0', '4:0', '5:0', '6:0', '9:0']);
    expect(map.steps[6]).toMatchObject({ line: 6, endLine: 8 });
  });
});

describe('the placement of each layer', () => {
  it('skips empty-layer steps, as the engine does, and maps nothing when the history does not add up', () => {
    const map = mapSteps(CLASSIC_DOCKERFILE, CLASSIC_BUILD_STAGE, { file: 'Dockerfile' });
    expect(layerPlacements(map, CLASSIC_BUILD_STAGE, 4).map((step) => (step?.kind === 'instruction' ? step.line : step?.kind))).toEqual(['base', 5, 8, 9]);
    expect(layerPlacements(map, CLASSIC_BUILD_STAGE, 5)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});
