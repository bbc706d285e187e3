/**
 * The README's first screen: the demo command, the dashboard screenshot that exists, and a
 * storefront snippet that is the type-checked examples/storefront-snippet.ts, line for line.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/bundle';

const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
const firstScreen = readme.split('\n').slice(0, 45).join('\n');

describe('the README first screen', () => {
  it('shows the two commands and a dashboard screenshot that exists', () => {
    expect(firstScreen).toContain('npm install\nnpm run demo');
    const image = /!\[[^\]]*\]\((docs\/images\/[^)]+\.png)\)/.exec(firstScreen)?.[1];
    expect(image).toBeDefined();
    expect(existsSync(path.join(repoRoot, image!))).toBe(true);
  });

  it('shows a storefront snippet of at most 10 lines that is the type-checked example', () => {
    const snippet = /```ts\n([\s\S]*?)```/.exec(firstScreen)?.[1] ?? '';
    const example = readFileSync(path.join(repoRoot, 'examples', 'storefront-snippet.ts'), 'utf8').split('\n').slice(1).join('\n');
    expect(snippet).toBe(example);
    expect(snippet.trimEnd().split('\n').length).toBeLessThanOrEqual(10);
  });
});
