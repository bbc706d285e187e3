/**
 * `npm run size`: prints every browser bundle's size against its budget, what it is made
 * of (ky, zod, guanxi's own code; minified bytes from esbuild's metafile), and the two
 * dependency floors the client bundles stand on.
 */
import { sizeBudgets } from './size-budgets';
import { measureBudget } from './measure-size';

const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`;
let failed = false;
for (const budget of sizeBudgets) {
  const m = await measureBudget(budget);
  const ok = m.gzipBytes <= m.maxGzipBytes && m.forbiddenFound.length === 0;
  failed ||= !ok;
  console.log(
    `${ok ? 'ok  ' : 'OVER'} ${m.name}: ${kb(m.gzipBytes)} min+gzip (${kb(m.minifiedBytes)} min), budget ${kb(m.maxGzipBytes)}` +
      (m.forbiddenFound.length ? `; forbidden modules: ${m.forbiddenFound.join(', ')}` : ''),
  );
  const { ky, zod, guanxi, other } = m.composition;
  if (ky + zod > 0) console.log(`       minified: ky ${kb(ky)}, zod ${kb(zod)}, guanxi ${kb(guanxi)}${other > 0 ? `, other ${kb(other)}` : ''}`);
}
// The floors: what the dependencies cost before any guanxi code.
for (const [name, source] of [
  ['ky alone (ky.create)', `import ky from 'ky'; export const api = ky.create({});`],
  ['zod/mini alone (one z.object + safeParse)', `import * as z from 'zod/mini'; export const result = z.object({ id: z.string() }).safeParse({});`],
] as const) {
  const m = await measureBudget({ name, source, maxGzipBytes: Number.POSITIVE_INFINITY });
  console.log(`ref  ${name}: ${kb(m.gzipBytes)} min+gzip (${m.gzipBytes} B)`);
}
if (failed) process.exitCode = 1;
