export { encryptStore, generateMasterKey } from './encrypt-store.js';
export { EncryptedSessionStore } from './encrypted-store.js';
export type { EncryptStoreOptions } from './options.js';
export { Keyring, MASTER_KEY_BYTES, type KeyringOptions, type MasterKey } from './keyring.js';
export type { DecryptErrorPolicy } from './codec.js';
export { ENVELOPE_VERSION, envelopeBytes, type Envelope } from './envelope.js';
export { JOURNAL_USER_ID } from './journal.js';
export { DEFAULT_STALE_AFTER_MS, type RewriteOptions, type RewriteReport } from './reencrypt.js';
