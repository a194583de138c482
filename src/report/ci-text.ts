// What every CI format says about a finding, in one place: a one-line message (sanitised, since
// paths and instructions come from the image) and where it sits in the Dockerfile. SARIF, JUnit,
// GitLab code quality and GitHub annotations each wrap these in their own syntax and escaping.

import prettyBytes from 'pretty-bytes';
import type { Finding } from '../analysis/findings.js';
import type { LayerRef } from '../model/types.js';
import { shortInstruction } from '../model/history.js';
import { sanitizeText } from '../sanitize.js';

/** `Dockerfile` for `./Dockerfile`: a path relative to where layerscope ran, with forward slashes. */
export function reportPath(file: string): string {
  return file.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

/** One line, sanitised: `APT package lists: 18.4 MB in 12 files (/var/lib/apt/lists/…), layer 2 `RUN apt-get update`. Fix: …`. */
export function findingMessage(finding: Finding): string {
  const paths = finding.paths.slice(0, 3).map((item) => `/${item.path}`);
  const more = finding.files > paths.length ? ', …' : '';
  const hidden = finding.hiddenBy ? `; ${layerText(finding.hiddenBy, 'deleted or overwritten by layer')}` : '';
  const text =
    `${finding.title}: ${prettyBytes(finding.bytes)} in ${finding.files} file${finding.files === 1 ? '' : 's'} ` +
    `(${paths.join(', ')}${more}), ${layerText(finding.layer, 'layer')}${hidden}. Fix: ${finding.advice}`;
  return sanitizeText(text, { singleLine: true });
}

/** `layer 3 (RUN apt-get update, Dockerfile:7)`, with what is known of it. */
function layerText(layer: LayerRef, noun: string): string {
  const parts = [
    layer.instruction ? shortInstruction(layer.instruction, 80) : '',
    layer.location ? `${reportPath(layer.location.file)}:${layer.location.line}${layer.location.kind === 'base' ? ', the base image' : ''}` : '',
  ].filter(Boolean);
  return `${noun} ${layer.index}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}
