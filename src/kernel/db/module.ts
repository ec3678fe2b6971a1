import { defineModule } from '../module.ts';

/** The kernel's own tables: settings, secrets and the cache stamps every module's cached reads check. */
export const platformModule = defineModule({ name: 'platform', migrations: ['0001_core.sql', '0006_cache_stamps.sql'] });
