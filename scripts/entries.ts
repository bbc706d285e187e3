/**
 * The package's public entry points: one place that the build (tsup), the package
 * checks, the import-safety tests and the size checks all read.
 *
 * `subpath` is the key in package.json `exports`; `source` is the file tsup builds;
 * `browser` says whether the entry must load in a browser without Node built-ins.
 */
export interface EntryPoint {
  readonly subpath: string;
  readonly source: string;
  readonly browser: boolean;
}

export const entryPoints: readonly EntryPoint[] = [
  { subpath: '.', source: 'src/index.ts', browser: true },
  { subpath: './profile', source: 'src/profile/index.ts', browser: true },
  { subpath: './tracking', source: 'src/tracking/index.ts', browser: true },
  { subpath: './consent', source: 'src/consent/index.ts', browser: true },
  { subpath: './consent/tcf', source: 'src/consent/tcf/index.ts', browser: true },
  { subpath: './scoring', source: 'src/scoring/index.ts', browser: true },
  { subpath: './client', source: 'src/client/index.ts', browser: true },
];

/** Entries that run only in Node (the command line); built but never imported by a page. */
export const nodeOnlyEntries: readonly string[] = ['src/cli/index.ts'];

/** tsup's `entry` record: output name (without extension) → source file. */
export function tsupEntryRecord(): Record<string, string> {
  const record: Record<string, string> = {};
  for (const entry of entryPoints) {
    const name = entry.subpath === '.' ? 'index' : `${entry.subpath.slice(2)}/index`;
    record[name] = entry.source;
  }
  for (const source of nodeOnlyEntries) {
    record[source.replace(/^src\//, '').replace(/\.ts$/, '')] = source;
  }
  return record;
}
