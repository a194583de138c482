import { describe, expect, it } from 'vitest';
import { peek } from '../../src/archive/streams.js';

/** A source that records whether its reader closed it (as an engine export's response is closed). */
function recordingSource(chunks: readonly string[]): { readonly source: AsyncIterable<Buffer>; closed: () => boolean } {
  let closed = false;
  async function* source(): AsyncGenerator<Buffer> {
    try {
      for (const chunk of chunks) yield Buffer.from(chunk);
    } finally {
      closed = true;
    }
  }
  return { source: source(), closed: () => closed };
}

describe('peek', () => {
  it('gives the head and then every byte of the source', async () => {
    const { source } = recordingSource(['ab', 'cd', 'ef']);
    const { head, all } = await peek(source, 3);
    const rest: Buffer[] = [];
    for await (const chunk of all) rest.push(chunk);
    expect(head.toString()).toBe('abcd');
    expect(Buffer.concat(rest).toString()).toBe('abcdef');
  });

  it('closes the source when its reader stops early, so a half-read export frees its socket', async () => {
    const recording = recordingSource(['ab', 'cd', 'ef', 'gh']);
    const { all } = await peek(recording.source, 1);
    for await (const chunk of all) if (chunk.toString() === 'cd') break;
    expect(recording.closed()).toBe(true);
  });
});
