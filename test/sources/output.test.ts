import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputError } from '../../src/errors.js';
import { reportDestination, writeOutput } from '../../src/sources/output.js';

describe('where the explorer writes its report', () => {
  it('proposes the current directory when a file can be created there', () => {
    expect(reportDestination('r.md', mkdtempSync(join(tmpdir(), 'layerscope-out-')))).toEqual({ path: 'r.md' });
  });

  it('proposes the temporary directory, and says why, where no file can be created (/proc)', () => {
    expect(reportDestination('r.md', '/proc')).toEqual({ path: join(tmpdir(), 'r.md'), note: '/proc is not writable (it takes no new files)' });
  });

  it('says why a write failed, naming the directory', async () => {
    const missing = join(tmpdir(), 'layerscope-no-such-dir', 'r.md');
    await expect(writeOutput(missing, 'x')).rejects.toThrow(new OutputError(missing, `${join(tmpdir(), 'layerscope-no-such-dir')} does not exist`));
    await expect(writeOutput('/proc/r.md', 'x')).rejects.toThrow('cannot write /proc/r.md: /proc takes no new files (a /proc or /sys directory)');
    await expect(writeOutput(tmpdir(), 'x')).rejects.toThrow('that is a directory; give a file name');
  });
});
