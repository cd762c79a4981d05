/** The local forge: a folder of real git repositories behind the Forge port. */
export { LocalForge, DEFAULT_BOT, type BotIdentity, type LocalForgeOptions, type LocalPullRequest } from './local-forge.js';
export { openLocalFleet, createLocalRepo, DEFAULT_AUTHOR, type CreateRepoOptions } from './fleet.js';
export { CHECK_SCRIPT } from './checks.js';
export { OPT_OUT_FILE } from './repo-queries.js';
