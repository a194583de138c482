// The one layout: which attribute columns the tree gets, and what the left pane gives up for them.
// Widths by hand: the tree's row is name (≥ 17) + flag and size (11) + a space before each
// attribute column: mode 10, owner (the widest uid:gid), time 16; one column between the panes.
import { describe, expect, it } from 'vitest';
import { computeLayout } from '../../components/layout.js';

const needs = { layerCount: 8, leftWant: 60, attributes: true };

describe('the attribute columns in the layout', () => {
  it('at 70 columns keeps mode and owner (0:0) and drops the time; the left pane gives way to 26', () => {
    // 17 + 11 + (1 + 10) + (1 + 3) = 43 for the tree, 70 - 1 - 43 = 26 for the left pane.
    const layout = computeLayout(70, 16, { ...needs, ownerWidth: 3 });
    expect(layout.attributes).toEqual({ columns: ['mode', 'owner'], ownerWidth: 3, width: 15 });
    expect(layout.left.width).toBe(26);
    expect(layout.right.width).toBe(43);
  });

  it('at 70 columns keeps only the mode when the owner is as wide as 1000:1000', () => {
    // mode and owner would need 17 + 11 + 11 + 10 = 49, leaving the left pane 20 (< 25); the mode
    // alone needs 17 + 11 + 11 = 39, leaving 30.
    const layout = computeLayout(70, 16, { ...needs, ownerWidth: 9 });
    expect(layout.attributes.columns).toEqual(['mode']);
    expect(layout.left.width).toBe(30);
  });

  it('at 80 columns keeps mode and owner with the left pane at its usual 34', () => {
    const layout = computeLayout(80, 24, { ...needs, ownerWidth: 3 });
    expect(layout.attributes.columns).toEqual(['mode', 'owner']);
    expect(layout.left.width).toBe(34);
  });

  it('at 120 columns shows all three', () => {
    // 17 + 11 + 11 + 4 + 17 = 60, leaving 59: the left pane keeps 34.
    const layout = computeLayout(120, 40, { ...needs, ownerWidth: 3 });
    expect(layout.attributes).toEqual({ columns: ['mode', 'owner', 'time'], ownerWidth: 3, width: 32 });
    expect(layout.left.width).toBe(34);
  });

  it('gives the tree no attribute columns while they are off', () => {
    expect(computeLayout(120, 40, { layerCount: 8, leftWant: 60 }).attributes.columns).toEqual([]);
  });
});
