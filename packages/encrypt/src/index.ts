export { encryption, encryptStore, generateMasterKey } from './encryption.js';
export { EncryptionCodec } from './encryption-codec.js';
export type { EncryptionOptions, DecryptErrorPolicy } from './options.js';
export { Keyring, type KeyringOptions } from './keyring.js';
export { MASTER_KEY_BYTES, fingerprintKeyId, type MasterKey } from './master-key.js';
export { parseKeyList, type KeyList } from './key-list.js';
export { ENVELOPE_VERSION } from './envelope.js';
export type { CipherBinding, CipherInfo } from './cipher/aead.js';
export type { BindingChoice } from './cipher/select.js';
export { reencryptSession, reencryptUser } from './rotation.js';
export { purgeExpiredMessages, type PurgeMessagesOptions } from './message-purge.js';
export {
  DEFAULT_MAINTENANCE_BATCH_SIZE,
  type MaintainedStore,
  type MaintenanceOptions,
  type MaintenanceReport,
} from './maintained-store.js';
