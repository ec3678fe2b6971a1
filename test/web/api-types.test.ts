// The console's API types are generated from the route schemas; a schema changed without regenerating
// them would let the console compile against answers the API no longer gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { apiTypes, apiTypesFile } from '../../scripts/api-types.ts';

test('web/src/api/schema.gen.ts is what `npm run gen:api` writes from the route schemas', async () => {
  const committed = await fs.readFile(apiTypesFile, 'utf8');
  const current = await apiTypes();
  assert.ok(committed === current, `${apiTypesFile} is stale: the route schemas changed. Run \`npm run gen:api\` and commit the file.`);
});
