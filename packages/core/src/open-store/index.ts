export { openStore, registerStoreScheme, knownStoreSchemes, type StoreOpener } from './registry.js';
export { parseStoreUrl, redactUrl, invalidUrl, type ParsedStoreUrl } from './parse.js';
