/** The local forge: a folder of real git repositories behind the Forge port. */
export { LocalForge, type LocalForgeOptions } from './local-forge.js';
export { openLocalFleet, createLocalRepo, DEFAULT_AUTHOR } from './fleet.js';
export { OPT_OUT_FILE } from './repo-queries.js';
