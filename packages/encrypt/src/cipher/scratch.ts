/**
 * Two reusable byte buffers for sealing and opening, so a message costs no Buffer allocation of
 * its own (each one is pooled memory the garbage collector must track): bytes go in, the AEAD
 * writes out, and the result is turned into a string at once. Sealing and opening are
 * synchronous, so nothing else uses a buffer between those steps. Above {@link SCRATCH_LIMIT} a
 * buffer is allocated for the call instead, so one huge message does not stay in memory.
 */
const SCRATCH_LIMIT = 64 * 1024;

let input = Buffer.allocUnsafeSlow(8 * 1024);
let output = Buffer.allocUnsafeSlow(8 * 1024);

/** A buffer of at least `bytes` for the bytes going into the AEAD (valid until the next call). */
export function inputScratch(bytes: number): Buffer {
  if (bytes <= input.length) return input;
  if (bytes > SCRATCH_LIMIT) return Buffer.allocUnsafe(bytes);
  input = Buffer.allocUnsafeSlow(Math.min(SCRATCH_LIMIT, bytes * 2));
  return input;
}

/** A buffer of at least `bytes` for the bytes coming out of the AEAD (valid until the next call). */
export function outputScratch(bytes: number): Buffer {
  if (bytes <= output.length) return output;
  if (bytes > SCRATCH_LIMIT) return Buffer.allocUnsafe(bytes);
  output = Buffer.allocUnsafeSlow(Math.min(SCRATCH_LIMIT, bytes * 2));
  return output;
}

/** The bytes of UTF-8 `text` in the input scratch buffer (or a buffer of their own): returns their view. */
export function utf8Bytes(text: string): Buffer {
  // A UTF-16 code unit is at most 3 UTF-8 bytes: enough room without measuring the text first.
  const buffer = inputScratch(text.length * 3);
  return buffer.subarray(0, buffer.write(text, 'utf8'));
}

/** The bytes of base64url `body` in the input scratch buffer (or a buffer of their own): returns their view. */
export function base64urlBytes(body: string): Buffer {
  const buffer = inputScratch(Math.ceil((body.length * 3) / 4));
  return buffer.subarray(0, buffer.write(body, 'base64url'));
}
