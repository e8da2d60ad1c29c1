import { encryption, type EncryptionCodec } from '../../src/index.js';
import { KEY_A, KEY_B } from '../fixtures.js';

/**
 * The codec as the conformance suite runs it, with two keys in its keyring. Metadata stays in
 * plaintext here: encrypted, 64 KiB of metadata no longer fits the stores' 64 KiB limit, which
 * the suite checks exactly (metadata encryption has its own tests).
 */
export function testCodec(): EncryptionCodec {
  return encryption({ keys: { old: KEY_A, new: KEY_B }, currentKeyId: 'new' });
}
