/** `npm run size`: prints every browser bundle's size against its budget. */
import { sizeBudgets } from './size-budgets';
import { measureBudget } from './measure-size';

let failed = false;
for (const budget of sizeBudgets) {
  const m = await measureBudget(budget);
  const ok = m.gzipBytes <= m.maxGzipBytes && m.forbiddenFound.length === 0;
  failed ||= !ok;
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`;
  console.log(
    `${ok ? 'ok  ' : 'OVER'} ${m.name}: ${kb(m.gzipBytes)} min+gzip (${kb(m.minifiedBytes)} min), budget ${kb(m.maxGzipBytes)}` +
      (m.forbiddenFound.length ? `; forbidden modules: ${m.forbiddenFound.join(', ')}` : ''),
  );
}
if (failed) process.exitCode = 1;
