export { runCli, type CliIo } from './cli.js';
export { parseStoreUrl, redactUrl, DEFAULT_STORE_URL, type StoreUrl } from './store-url.js';
export { openStore, resolveStoreUrl, parseKeys, type OpenStoreOptions } from './open-store.js';
export { CliError, EXIT } from './cli-error.js';
