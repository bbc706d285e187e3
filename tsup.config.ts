import { defineConfig } from 'tsup';
import { tsupEntryRecord } from './scripts/entries';

export default defineConfig({
  entry: tsupEntryRecord(),
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  splitting: true,
  treeshake: true,
  target: 'es2022',
  platform: 'neutral',
  // Node built-ins are only reached from the command-line entry.
  external: [/^node:/],
  outDir: 'dist',
});
