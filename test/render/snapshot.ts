// Snapshot files for the render tests: compare output with test/snapshots/<name>; UPDATE_SNAPSHOTS=1 (re)writes
// them, except under CI=true, where a missing or different snapshot always fails.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../support/paths.js';

export const SNAPSHOTS = join(REPO_ROOT, 'test', 'snapshots');

/** Read at each call, so a test can check the CI rule. */
function updating(): boolean {
  return process.env.UPDATE_SNAPSHOTS === '1' && process.env.CI !== 'true';
}

export function snapshotPath(name: string): string {
  return join(SNAPSHOTS, name);
}

/**
 * Reads the committed snapshot, writing it first when updating. Fails (never skips) when it is missing,
 * with the command that creates it.
 */
export function readSnapshot(name: string, actual: string | Uint8Array): Buffer {
  const path = snapshotPath(name);
  if (updating()) {
    mkdirSync(dirname(path), { recursive: true });
    const current = existsSync(path) ? readFileSync(path) : undefined;
    if (!current || !current.equals(Buffer.from(actual))) writeFileSync(path, actual);
  }
  assert.ok(
    existsSync(path),
    `snapshot ${name} is missing: run \`UPDATE_SNAPSHOTS=1 node scripts/run-tests.mjs render\`, look at it, and commit test/snapshots/${name}`,
  );
  return readFileSync(path);
}

/** Byte-for-byte equality with the committed text snapshot; a failure shows the first differing line. */
export function matchTextSnapshot(name: string, actual: string): void {
  const expected = readSnapshot(name, actual).toString('utf8');
  if (expected === actual) return;
  const a = actual.split('\n');
  const e = expected.split('\n');
  let i = 0;
  while (i < a.length && i < e.length && a[i] === e[i]) i++;
  assert.fail(
    `${name} differs from its snapshot at line ${i + 1}:\n  expected: ${e[i]?.slice(0, 200)}\n  actual:   ${a[i]?.slice(0, 200)}\n` +
      'if the change is intended, run with UPDATE_SNAPSHOTS=1, look at the picture, and commit it',
  );
}
