import { describe, expect, it } from 'vitest';
import { runExample } from '../../examples/tracking-plugin';

describe('examples/tracking-plugin.ts', () => {
  it('runs: every touchpoint reaches the collector tagged, only the complaint reaches the helpdesk', async () => {
    const lines: string[] = [];
    const received = await runExample((line) => lines.push(line));
    expect(received.collector).toHaveLength(3);
    expect(received.collector.every((m) => (m as { context: { release?: string } }).context.release === '2026.03.1')).toBe(true);
    expect(received.helpdesk).toEqual([
      expect.objectContaining({ customer: 'u-42', channel: 'call-centre', subject: 'Parcel arrived damaged', owner: 'agent-17' }),
    ]);
    expect(lines.some((line) => line.startsWith('error'))).toBe(false);
  });
});
