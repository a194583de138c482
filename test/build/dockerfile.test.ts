import { describe, expect, it } from 'vitest';
import { parseDockerfile, stagesFeeding } from '../../src/build/dockerfile.js';
import { nameStages } from '../../src/sources/engine-build.js';
import { UsageError } from '../../src/errors.js';

const lines = (...text: string[]): string => `${text.join('\n')}\n`;

function usageError(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('the stages of a Dockerfile', () => {
  it('numbers named and unnamed stages, lowercases names, and targets the last stage', () => {
    const { stages, target } = parseDockerfile(
      lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.22 AS Build',
        'RUN go build',
        '',
        'from alpine:3.20',
        'FROM scratch as final',
      ),
    );
    expect(stages.map(({ index, name, base, line }) => ({ index, name, base, line }))).toEqual([
      { index: 0, name: 'build', base: 'golang:1.22', line: 2 },
      { index: 1, name: undefined, base: 'alpine:3.20', line: 5 },
      { index: 2, name: 'final', base: 'scratch', line: 6 },
    ]);
    expect(stages[1]).not.toHaveProperty('name');
    expect(target).toBe(2);
  });

  it('substitutes global ARGs in FROM in all their forms', () => {
    const { stages } = parseDockerfile(
      lines(
        'ARG REGISTRY=docker.io',
        'ARG GO=1.22 DISTRO',
        'ARG FULL=${GO}-bookworm',
        'FROM ${REGISTRY}/library/golang:${FULL}',
        'FROM $REGISTRY/alpine:${DISTRO:-3.20}',
        'FROM debian${DISTRO:+-$DISTRO}',
        'FROM "busybox":$UNDECLARED',
      ),
    );
    expect(stages.map((stage) => stage.base)).toEqual([
      'docker.io/library/golang:1.22-bookworm',
      'docker.io/alpine:3.20',
      'debian',
      'busybox:',
    ]);
  });

  it('lets build args replace the defaults of declared global ARGs only', () => {
    const text = lines('ARG GO=1.22', 'ARG DISTRO', 'FROM golang:${GO}-${DISTRO:-alpine}$EXTRA');
    const [stage] = parseDockerfile(text, { buildArgs: { GO: '1.23', DISTRO: 'bookworm', EXTRA: '-ignored' } }).stages;
    expect(stage?.base).toBe('golang:1.23-bookworm');
  });

  it('keeps the arguments the engine supplies, such as $BUILDPLATFORM, as written', () => {
    const [stage] = parseDockerfile(lines('FROM --platform=$BUILDPLATFORM golang:1.22 AS build')).stages;
    expect(stage).toMatchObject({ base: 'golang:1.22', platform: '$BUILDPLATFORM', name: 'build' });
    const [given] = parseDockerfile(lines('FROM --platform=${TARGETPLATFORM} alpine'), { buildArgs: { TARGETPLATFORM: 'linux/arm64' } }).stages;
    expect(given?.platform).toBe('linux/arm64');
  });

  it('links FROM <stage> to the earlier stage, but not to a stage of the same name it defines', () => {
    const { stages } = parseDockerfile(
      lines('ARG BASE=deps', 'FROM node:20 AS deps', 'FROM ${BASE} AS build', 'FROM build', 'FROM app AS app'),
    );
    expect(stages.map((stage) => stage.baseStage)).toEqual([undefined, 0, 1, undefined]);
    expect(stages[3]?.base).toBe('app');
  });

  it('tells COPY --from of a stage (by name or index) from COPY --from of an external image', () => {
    const { stages } = parseDockerfile(
      lines(
        'FROM golang:1.22 AS Build',
        'FROM alpine',
        'COPY --from=build /out/app /app',
        'COPY --chown=0:0 --from=0 /out/lib /lib',
        'COPY --from=nginx:latest /etc/nginx /etc/nginx',
        'COPY --from= ./context-file /',
        'COPY ./context-file /',
      ),
    );
    expect(stages[1]?.copiesFrom).toEqual([
      { stage: 0, line: 3 },
      { stage: 0, line: 4 },
      { image: 'nginx:latest', line: 5 },
    ]);
  });

  it('reads RUN --mount from= as a stage the step needs, not as something copied', () => {
    const { stages } = parseDockerfile(
      lines(
        'FROM alpine AS tools',
        'FROM alpine',
        'RUN --mount=type=cache,target=/root/.cache \\',
        '    --mount=type=bind,from=tools,source=/bin/x,target=/x \\',
        '    --mount=from=busybox:1,target=/bb \\',
        '    /x',
      ),
    );
    expect(stages[1]?.copiesFrom).toEqual([]);
    expect(stages[1]?.mountsFrom).toEqual([
      { stage: 0, line: 3 },
      { image: 'busybox:1', line: 3 },
    ]);
  });

  it('follows comments, line continuations, the escape directive and heredocs', () => {
    const text = lines(
      '# escape=`',
      '# FROM not-a-stage',
      'FROM `',
      '  golang:1.22 `',
      '  AS build',
      'RUN <<EOF',
      'FROM not-a-stage-either',
      'EOF',
      'COPY <<EOT /etc/motd',
      'FROM still-not-a-stage',
      'EOT',
      'FROM alpine',
      'RUN echo a \\',
      'FROM not-continued',
    );
    const { stages } = parseDockerfile(text);
    expect(stages.map((stage) => [stage.base, stage.line])).toEqual([
      ['golang:1.22', 3],
      ['alpine', 12],
      ['not-continued', 14],
    ]);
  });

  it('builds the stage --target names, whatever its case', () => {
    const text = lines('FROM golang AS build', 'FROM alpine AS runtime', 'FROM runtime AS debug');
    expect(parseDockerfile(text, { target: 'Runtime' }).target).toBe(1);
  });
});

describe('Dockerfiles that cannot be built', () => {
  it('rejects a --target that no stage has, listing the names there are', () => {
    const error = usageError(() => parseDockerfile(lines('FROM golang AS build', 'FROM alpine AS runtime'), { target: 'tests' }));
    expect(error.message).toBe('the Dockerfile has no stage named "tests"');
    expect(error.hint).toContain('build, runtime');
    expect(usageError(() => parseDockerfile(lines('FROM alpine'), { target: 'x' })).hint).toContain('FROM IMAGE AS NAME');
  });

  it('rejects a file with no FROM, and an instruction before the first FROM', () => {
    expect(usageError(() => parseDockerfile('')).message).toBe('Dockerfile has no FROM instruction');
    expect(usageError(() => parseDockerfile(lines('# only a comment', 'ARG X=1'), { file: 'build.Dockerfile' })).message).toBe(
      'build.Dockerfile has no FROM instruction',
    );
    expect(usageError(() => parseDockerfile(lines('RUN true', 'FROM alpine'))).message).toBe(
      'Dockerfile line 1: RUN comes before the first FROM',
    );
  });

  it('rejects an empty, invalid or misplaced stage name', () => {
    expect(usageError(() => parseDockerfile(lines('FROM alpine AS'))).message).toMatch(/^Dockerfile line 1: FROM alpine AS is not/);
    expect(usageError(() => parseDockerfile(lines('FROM alpine AS x y'))).message).toMatch(/line 1/);
    expect(usageError(() => parseDockerfile(lines('FROM alpine build'))).message).toMatch(/line 1/);
    expect(usageError(() => parseDockerfile(lines('FROM alpine AS 1st'))).message).toBe('Dockerfile line 1: "1st" cannot name a stage');
    expect(usageError(() => parseDockerfile(lines('FROM'))).message).toBe('Dockerfile line 1: FROM names no image');
  });

  it('rejects a FROM whose arguments leave no image', () => {
    expect(usageError(() => parseDockerfile(lines('ARG BASE', 'FROM $BASE'))).message).toMatch(/^Dockerfile line 2: FROM \$BASE names no image/);
    expect(usageError(() => parseDockerfile(lines('FROM ${BASE:?required}'))).message).toBe('Dockerfile line 1: BASE is not set: required');
    expect(usageError(() => parseDockerfile(lines('FROM ${BASE'))).message).toMatch(/^Dockerfile line 1: missing \}/);
  });

  it('rejects COPY --from a stage that is not defined before, or that does not exist', () => {
    const later = lines('FROM alpine AS a', 'COPY --from=b /x /x', 'FROM alpine AS b');
    expect(usageError(() => parseDockerfile(later)).message).toBe(
      'Dockerfile line 2: COPY --from=b refers to a stage that is not defined before this one',
    );
    expect(usageError(() => parseDockerfile(lines('FROM alpine', 'COPY --from=0 /x /x'))).message).toMatch(/line 2/);
    expect(usageError(() => parseDockerfile(lines('FROM alpine', 'FROM alpine', 'COPY --from=7 /x /x'))).message).toBe(
      'Dockerfile line 3: COPY --from=7: there is no stage 7',
    );
    expect(usageError(() => parseDockerfile(lines('FROM alpine AS a', 'RUN --mount=from=a,target=/a true'))).message).toMatch(/line 2/);
  });

  it('rejects variables in COPY --from, as BuildKit does', () => {
    const error = usageError(() => parseDockerfile(lines('ARG SRC=a', 'FROM alpine AS a', 'FROM alpine', 'COPY --from=$SRC /x /x')));
    expect(error.message).toBe('Dockerfile line 4: COPY --from=$SRC: variables cannot be used here');
  });
});

describe('the stages a target needs', () => {
  const text = lines(
    'FROM golang:1.22 AS deps', //    0
    'FROM deps AS build', //          1 ← deps
    'FROM alpine AS tools', //        2
    'FROM node:20 AS docs', //        3 (unused by the final stage)
    'FROM alpine AS assets', //       4
    'RUN --mount=from=tools,target=/t /t/x',
    'FROM gcr.io/distroless/static', // 5
    'COPY --from=build /app /app',
    'COPY --from=4 /assets /assets',
    'COPY --from=nginx:latest /etc/nginx /etc/nginx',
  );

  it('follows FROM, COPY --from and RUN --mount transitively, in build order, ending with the target', () => {
    const dockerfile = parseDockerfile(text);
    expect(stagesFeeding(dockerfile)).toEqual([0, 1, 2, 4, 5]);
  });

  it('starts from another stage when asked, or from --target', () => {
    const dockerfile = parseDockerfile(text);
    expect(stagesFeeding(dockerfile, 1)).toEqual([0, 1]);
    expect(stagesFeeding(parseDockerfile(text, { target: 'docs' }))).toEqual([3]);
  });

  it('rejects a stage index that does not exist', () => {
    expect(() => stagesFeeding(parseDockerfile(text), 9)).toThrow(RangeError);
  });
});

describe('naming unnamed stages for the engine', () => {
  it('names only the stages asked for, on their FROM line, and keeps the rest as written', () => {
    const text = 'FROM alpine\nRUN make\n\nFROM alpine AS named\nFROM busybox\nCOPY --from=0 /out /out\n';
    const { text: named, names } = nameStages(text, parseDockerfile(text), [0]);
    expect(named).toBe('FROM alpine AS layerscope-stage-0\nRUN make\n\nFROM alpine AS named\nFROM busybox\nCOPY --from=0 /out /out\n');
    expect(names).toEqual({ 0: 'layerscope-stage-0', 1: 'named' });
    expect(parseDockerfile(named).stages.map((stage) => stage.name)).toEqual(['layerscope-stage-0', 'named', undefined]);
  });
});
