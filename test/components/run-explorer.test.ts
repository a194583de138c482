import { describe, expect, it } from 'vitest';
import { keepingScrollback } from '../../components/run-explorer.js';

describe('the explorer\'s terminal', () => {
  it('never erases the scrollback: ESC[3J is dropped from every write, the rest passes', () => {
    const written: string[] = [];
    const fake = { write: (chunk: string) => written.push(chunk) > 0, columns: 80 } as unknown as NodeJS.WriteStream;
    const screen = keepingScrollback(fake);
    screen.write('\u001b[2J\u001b[3J\u001b[Hframe');
    expect(written).toEqual(['\u001b[2J\u001b[Hframe']);
    expect(screen.columns).toBe(80);
  });
});
