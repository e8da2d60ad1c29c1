export { runCli, type CliIo } from './cli.js';
export { DEFAULT_STORE_URL, resolveStoreUrl, type StoreChoice } from './store/store-url.js';
export { CliError, EXIT } from './cli-error.js';
export { startInspector, type Inspector, type InspectorOptions } from './ui/server.js';
