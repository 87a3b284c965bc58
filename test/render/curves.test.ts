// Loss curves (attn train, the model card): byte-for-byte snapshot, well-formed XML, the moving average.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lossCurvesSvg, movingAverage } from '../../src/render/index.js';
import { matchTextSnapshot } from './snapshot.js';
import { checkXml } from './xml-check.js';

/** A deterministic training curve: exponential decay with a fixed wobble, held-out a little above it. */
function curves() {
  const train = Array.from({ length: 500 }, (_, i) => [i + 1, 3 + 6 * Math.exp(-(i + 1) / 60) + 0.15 * Math.sin(i * 1.7)] as [number, number]);
  const heldout = Array.from({ length: 6 }, (_, k) => [k * 100, 3.2 + 6 * Math.exp(-(k * 100) / 60)] as [number, number]);
  return { train, heldout };
}

test('loss curves: snapshot, well-formed, no NaN; same input → same bytes', () => {
  const { train, heldout } = curves();
  const svg = lossCurvesSvg({ train, heldout, baseline: { label: 'bigram baseline (5.100)', loss: 5.1 }, title: 'Training <& held-out> loss', subtitle: '3.4M parameters' });
  checkXml(svg);
  assert.doesNotMatch(svg, /NaN|undefined/);
  assert.match(svg, /Training &lt;&amp; held-out&gt; loss/);
  assert.equal(svg, lossCurvesSvg({ train, heldout, baseline: { label: 'bigram baseline (5.100)', loss: 5.1 }, title: 'Training <& held-out> loss', subtitle: '3.4M parameters' }));
  matchTextSnapshot('loss-curves.svg', svg);
  // without held-out points or a baseline it still draws (a run without --heldout)
  checkXml(lossCurvesSvg({ train: train.slice(0, 3), heldout: [], title: 't', subtitle: 's' }));
  assert.throws(() => lossCurvesSvg({ train: [], heldout: [], title: 't', subtitle: 's' }), /at least one loss/);
});

test('moving average: the mean of each window of k, ending at each point', () => {
  const pts: [number, number][] = [[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]];
  assert.deepEqual(movingAverage(pts, 2), [[2, 1.5], [3, 2.5], [4, 3.5], [5, 4.5]]);
  assert.deepEqual(movingAverage(pts, 1), pts);
  assert.deepEqual(movingAverage(pts.slice(0, 1), 3), [[1, 1]]);
});
