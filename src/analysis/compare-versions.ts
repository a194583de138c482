// Two versions of one image (--compare), path by path: how much smaller or larger the current one
// is, the paths removed and added by kind (the stage comparison's categories), files changed, and
// the rules whose findings are gone or new — a PR's before/after.

import type { ImageAnalysis } from './analyse.js';
import { byCategory, side, type CategoryTotals, type StageSide } from './compare.js';
import { visitFinalFiles, type FinalFile } from './findings.js';
import type { Category } from './rules.js';
import { byText } from '../model/order.js';

/** Two versions of one image (--compare): what a change removed, added and fixed. */
export interface VersionComparison {
  readonly current: StageSide;
  readonly other: StageSide;
  /** current.imageBytes - other.imageBytes: negative when the current image is smaller. */
  readonly sizeChange: number;
  /** Paths the other image's final tree has and the current one's does not, by category. */
  readonly removed: CategoryTotals;
  /** Paths the current image's final tree has and the other one's does not, by category. */
  readonly added: CategoryTotals;
  /** Paths in both whose content differs (by digest, or by size without digests). */
  readonly changed: { readonly files: number; readonly bytes: number };
  /** Rules with findings in the other image and none in the current one, and the reverse. */
  readonly findingsGone: readonly RuleTotal[];
  readonly findingsNew: readonly RuleTotal[];
}

export interface RuleTotal {
  readonly ruleId: string;
  readonly title: string;
  readonly category: Category;
  readonly bytes: number;
  readonly files: number;
}

/**
 * Compares two versions of an image path by path (unlike stages, whose files move): the other
 * image is "before" in a PR's before/after.
 */
export function compareVersions(current: ImageAnalysis, other: ImageAnalysis, references: { current: string; other: string }): VersionComparison {
  const files = (analysis: ImageAnalysis): Map<string, FinalFile> => {
    const byPath = new Map<string, FinalFile>();
    visitFinalFiles(analysis.image, analysis.tree, 'final', analysis.provenance.layers, (file) => byPath.set(file.path, file), analysis.owners);
    return byPath;
  };
  const now = files(current);
  const before = files(other);
  let changedFiles = 0;
  let changedBytes = 0;
  for (const [path, file] of now) {
    const old = before.get(path);
    if (!old) continue;
    const same = file.entry.digest !== undefined && old.entry.digest !== undefined ? file.entry.digest === old.entry.digest : file.entry.size === old.entry.size;
    if (same) continue;
    changedFiles++;
    changedBytes += file.entry.size;
  }
  const rules = (analysis: ImageAnalysis): Map<string, RuleTotal> => {
    const totals = new Map<string, RuleTotal>();
    for (const finding of analysis.findings) {
      const total = totals.get(finding.ruleId);
      totals.set(finding.ruleId, {
        ruleId: finding.ruleId,
        title: finding.title,
        category: finding.category,
        bytes: (total?.bytes ?? 0) + finding.bytes,
        files: (total?.files ?? 0) + finding.files,
      });
    }
    return totals;
  };
  const rulesNow = rules(current);
  const rulesBefore = rules(other);
  const byBytes = (a: RuleTotal, b: RuleTotal): number => b.bytes - a.bytes || byText(a.ruleId, b.ruleId);
  return {
    current: side(current, references.current),
    other: side(other, references.other),
    sizeChange: current.figures.imageBytes - other.figures.imageBytes,
    removed: byCategory([...before.values()].filter((file) => !now.has(file.path))),
    added: byCategory([...now.values()].filter((file) => !before.has(file.path))),
    changed: { files: changedFiles, bytes: changedBytes },
    findingsGone: [...rulesBefore.values()].filter((rule) => !rulesNow.has(rule.ruleId)).sort(byBytes),
    findingsNew: [...rulesNow.values()].filter((rule) => !rulesBefore.has(rule.ruleId)).sort(byBytes),
  };
}
