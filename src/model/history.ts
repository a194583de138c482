// History steps from the image config, and which step made which layer: steps marked
// `empty_layer` (ENV, LABEL, CMD…) made none, the others made the layers in order — the rule
// the engine itself uses.

import type { HistoryStep } from './types.js';

interface HistoryJson {
  readonly created?: string;
  readonly created_by?: string;
  readonly comment?: string;
  readonly empty_layer?: boolean;
}

export interface MappedHistory {
  readonly steps: readonly HistoryStep[];
  /** The step that made each layer; undefined where the history is shorter than the layers. */
  readonly layerSteps: readonly (HistoryStep | undefined)[];
}

export function mapHistory(history: readonly HistoryJson[], layerCount: number): MappedHistory {
  const steps = history.map(
    (item): HistoryStep => ({
      createdBy: item.created_by ?? '',
      emptyLayer: item.empty_layer === true,
      ...(item.created ? { created: item.created } : {}),
      ...(item.comment ? { comment: item.comment } : {}),
    }),
  );
  const layerMaking = steps.filter((step) => !step.emptyLayer);
  // A history that does not add up (hand-made images, squashed layers) maps nothing rather than
  // pinning the wrong instruction on a layer.
  const layerSteps = layerMaking.length === layerCount ? layerMaking : new Array<undefined>(layerCount).fill(undefined);
  return { steps, layerSteps };
}

/**
 * The Dockerfile instruction behind a `created_by` string, as a user wrote it:
 * `/bin/sh -c #(nop)  ENV A=b` → `ENV A=b`, `/bin/sh -c apt-get update` → `RUN apt-get update`,
 * `RUN /bin/sh -c make # buildkit` → `RUN make`. Unknown forms are returned trimmed.
 */
export function instructionOf(createdBy: string): string {
  let text = createdBy.trim();
  const buildkit = /^(RUN|COPY|ADD|WORKDIR|ENV|LABEL|USER|EXPOSE|VOLUME|CMD|ENTRYPOINT|ARG|SHELL|HEALTHCHECK|STOPSIGNAL|ONBUILD)\b/i.exec(text);
  if (buildkit) {
    text = text.replace(/\s+# buildkit$/, '');
    return text.replace(/^RUN (\|\d+ (\S+=\S*\s+)*)?\/bin\/(ba)?sh -c /, 'RUN ');
  }
  const nop = /^\/bin\/(?:ba)?sh -c #\(nop\)\s*(.*)$/s.exec(text);
  if (nop) return (nop[1] ?? '').trim();
  const run = /^(?:\|\d+ (?:\S+=\S*\s+)*)?\/bin\/(?:ba)?sh -c (.*)$/s.exec(text);
  if (run) return `RUN ${(run[1] ?? '').trim()}`;
  return text;
}

/** An instruction on one line of at most `width` characters (whitespace collapsed, `…` when cut). */
export function shortInstruction(instruction: string, width: number): string {
  const oneLine = instruction.replace(/\s+/g, ' ').trim();
  return oneLine.length > width ? `${oneLine.slice(0, width - 1)}…` : oneLine;
}
