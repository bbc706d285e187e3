import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { guanxiLibraryVersion } from '../../src/consent/version';

describe('library version on proof records', () => {
  it('equals package.json', () => {
    const manifest = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(guanxiLibraryVersion).toBe(manifest.version);
  });
});
