// As root in a private directory (a clone in a mode-700 home), the embedded PostgreSQL, which runs as the
// unprivileged postgres user, cannot reach its cluster: the start says so in one line, naming the directory.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { assertPostgresUserCanReach, startEmbeddedPostgres } from '../../../src/kernel/db/embedded.ts';
import { StartupError } from '../../../src/kernel/errors.ts';

const asRoot = os.userInfo().uid === 0;

test('under root, a cluster inside a mode-700 directory is refused with one line that says what to do', { skip: !asRoot && 'needs root' }, async () => {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'yiwang-private-'));
  await fs.chmod(home, 0o700);
  try {
    const dataDir = path.join(home, 'clone', 'data');
    await fs.mkdir(dataDir, { recursive: true });
    await assert.rejects(startEmbeddedPostgres(dataDir, 54_999), (error: unknown) => {
      assert.ok(error instanceof StartupError);
      assert.equal(error.message.includes('\n'), false);
      assert.match(error.message, new RegExp(`cannot enter ${home};.*chmod o\\+x ${home}`));
      return true;
    });
    // Once the user may pass through, nothing stands in the way.
    await fs.chmod(home, 0o711);
    await assertPostgresUserCanReach([path.join(dataDir, 'pg')]);
  } finally {
    await fs.rm(home, { recursive: true, force: true });
  }
});
