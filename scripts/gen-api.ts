// `npm run gen:api`: writes the console's API types from the route schemas (see docs/http.md).
import fs from 'node:fs/promises';
import { apiTypes, apiTypesFile } from './api-types.ts';

await fs.writeFile(apiTypesFile, await apiTypes());
console.log(`wrote ${apiTypesFile}`);
