/**
 * `npm run bench`: runs every benchmark script in this folder in turn, each in its own
 * process, and prints its figures. Benchmarks print numbers; they never fail a build.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const here = import.meta.dirname;
const only = process.argv.slice(2);
const scripts = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
  .sort();

const cpus = os.cpus();
console.log(`machine: ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}`);
for (const script of scripts) {
  console.log(`\n## ${script}`);
  execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx/esm', path.join(here, script)], { stdio: 'inherit' });
}
