import { describe, expect, it } from 'vitest';
import { measureBudget } from '../../scripts/measure-size';
import { sizeBudgets } from '../../scripts/size-budgets';

describe('browser bundle budgets', () => {
  for (const budget of sizeBudgets) {
    it(`${budget.name} stays within ${budget.maxGzipBytes} bytes min+gzip`, async () => {
      const measured = await measureBudget(budget);
      expect(measured.forbiddenFound).toEqual([]);
      expect(measured.gzipBytes).toBeLessThanOrEqual(budget.maxGzipBytes);
      expect(measured.gzipBytes).toBeGreaterThan(0);
    });
  }
});
