/**
 * Same input, same output everywhere: the scoring functions give bit-identical results
 * in real Chromium (bundled as an app would bundle them) and in Node, on the CDNOW sample.
 */
import { describe, expect, it } from 'vitest';
import { bundleForBrowser } from '../support/bundle';
import { runModuleInPage, useBrowserFixture } from '../support/module-page';
import { readCdnowSample } from '../scoring/cdnow';
import { scoreEverything } from '../scoring/support/score-everything';

const fixture = useBrowserFixture();

describe('scoring in Chromium and in Node', () => {
  it('gives identical summaries, RFM scores, value classes, engagement and health on CDNOW', async () => {
    const transactions = readCdnowSample();
    const code = await bundleForBrowser(`
      import { scoreEverything } from './test/scoring/support/score-everything';
      const transactions = await (await fetch('/cdnow.json')).json();
      window.__result = JSON.stringify(scoreEverything(transactions));
    `);
    const { result: inBrowser, errors } = await runModuleInPage<string>(fixture, {
      module: code,
      files: { '/cdnow.json': { body: JSON.stringify(transactions), contentType: 'application/json' } },
      resultName: '__result',
    });
    expect(errors).toEqual([]);
    const inNode = JSON.stringify(scoreEverything(transactions));
    expect(inBrowser.length).toBeGreaterThan(100_000);
    if (inBrowser !== inNode) {
      let at = 0;
      while (inBrowser[at] === inNode[at]) at++;
      expect(inBrowser.slice(Math.max(0, at - 300), at + 100)).toBe(inNode.slice(Math.max(0, at - 300), at + 100));
    }
  });
});
