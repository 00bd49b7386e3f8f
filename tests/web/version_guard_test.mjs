// The model's rollback guard without a server: an older revision or version is refused, and so
// is anything a hostile server's JSON could put where a number belongs.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { VersionGuard } from '../../web/js/model/version_guard.js';
import { assertRefused } from './refusal.mjs';

test('a revision older than one seen is refused; equal and newer ones pass', async () => {
  const guard = new VersionGuard();
  guard.folder('n', 10);
  guard.folder('n', 10);
  guard.folder('n', 11);
  await assertRefused(() => guard.folder('n', 9), 'integrity', 'older folder revision');
  guard.contentVersion('m', 3);
  await assertRefused(() => guard.contentVersion('m', 2), 'integrity', 'older content version');
  guard.contentVersion('other', 0); // each node on its own
});

test('a number as text, a missing, negative, fractional or huge value is refused', async () => {
  const guard = new VersionGuard();
  guard.attributeRevision('n', 10);
  for (const bad of ['10', '9', undefined, null, -1, 1.5, 2 ** 53, NaN]) {
    // @ts-ignore: what a server's JSON could hold
    await assertRefused(() => guard.attributeRevision('n', bad), 'integrity', String(bad));
  }
  guard.attributeRevision('n', 10); // nothing above changed what was seen
  await assertRefused(() => guard.attributeRevision('n', 9), 'integrity', 'still 10');
});
