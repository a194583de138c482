// The flag table is the one place a flag is declared: every flag it lists must reach the plan of
// each command it names, and be refused elsewhere — never accepted and then ignored.
import { describe, expect, it } from 'vitest';
import { buildHelpText, helpText } from '../../src/cli/help.js';
import { buildOnly, flagRows, flagUsage, type Mode } from '../../src/cli/flags.js';
import { parseCommandLine } from '../../src/cli/parse.js';
import type { Plan } from '../../src/cli/plan.js';
import { UsageError } from '../../src/errors.js';

type Case = { readonly command: 'image' | 'build'; readonly mode: 'explore' | 'report' };
const CASES: readonly Case[] = [
  { command: 'image', mode: 'explore' },
  { command: 'image', mode: 'report' },
  { command: 'build', mode: 'explore' },
  { command: 'build', mode: 'report' },
];

/** The mode a plan runs in, build's follow-up included; help and version are modes of their own. */
function modeOf(plan: Plan): string {
  return plan.command === 'build' ? plan.then.command : plan.command;
}

function parse(argv: readonly string[], mode: Case['mode']): Plan | UsageError {
  try {
    return parseCommandLine(argv, { interactive: mode === 'explore' });
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
}

describe('the flag table', () => {
  it('gives every flag that takes a value an example to test it with', () => {
    for (const flag of flagRows()) {
      expect(flag.type === 'boolean' || flag.example !== undefined, `--${flag.name}`).toBe(true);
      if (flag.choices) expect(flag.choices, `--${flag.name}`).toContain(flag.example);
    }
  });

  for (const flag of flagRows()) {
    it(`--${flag.name} changes the plan wherever it is accepted, and is accepted where the table says`, () => {
      const accepted = new Set<Mode>();
      for (const { command, mode } of CASES) {
        const base = command === 'build' ? ['build', '.'] : flag.name === 'demo' ? [] : ['img'];
        const needs = flag.requires ? [`--${flag.requires}`] : [];
        const given = flag.type === 'string' ? [`--${flag.name}`, flag.example ?? ''] : [`--${flag.name}`];
        const withFlag = parse([...base, ...needs, ...given], mode);
        const label = `${command} ${mode}: ${[...base, ...needs, ...given].join(' ')}`;
        if (withFlag instanceof UsageError) continue;
        // Accepted: the flag must have done something.
        expect(withFlag, label).not.toEqual(parse(flag.name === 'demo' ? ['img'] : [...base, ...needs], mode));
        const ran = modeOf(withFlag);
        if (command === 'build') accepted.add('build');
        else accepted.add(ran === 'explore' || ran === 'report' ? ran : mode);
        // A flag that moves the command into another mode (--report, -o, --ci) must be one that mode takes.
        if (withFlag.command !== 'help' && withFlag.command !== 'version') {
          expect(buildOnly(flag) || flag.modes.includes(ran as Mode), label).toBe(true);
        }
      }
      expect([...accepted].sort()).toEqual([...flag.modes].sort());
    });
  }

  it('puts every flag in the help of each command that takes it', () => {
    for (const flag of flagRows()) {
      const usage = flagUsage(flag.name, flag);
      if (!buildOnly(flag)) expect(helpText(), usage).toContain(usage);
      if (flag.modes.includes('build')) expect(buildHelpText(), usage).toContain(usage);
      else expect(buildHelpText(), usage).not.toContain(usage);
    }
  });
});
