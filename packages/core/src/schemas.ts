import { z } from 'zod';
import { jsonProblem, utf8Length } from './json.js';
import { DEFAULT_MAX_MESSAGE_BYTES, MAX_ID_LENGTH, MAX_METADATA_BYTES } from './limits.js';
import type { JsonObject } from './types.js';

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * A user or session id as the stores accept it: trimmed, 1 to 512 characters, no control
 * characters, well-formed unicode. Parsing returns the trimmed id.
 */
export const idSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty or blank')
  .refine((id) => [...id].length <= MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`)
  .refine((id) => !CONTROL_CHARS.test(id), 'must not contain control characters')
  .refine((id) => id.isWellFormed(), 'must be well-formed unicode');

/** A message: a plain JSON object (see the contract's rule 7) of at most `maxBytes` encoded. */
export function messageSchema(maxBytes = DEFAULT_MAX_MESSAGE_BYTES) {
  return jsonObjectSchema(maxBytes, 'message');
}

/** Session metadata: a plain JSON object of at most 64 KiB encoded. */
export const metadataSchema = jsonObjectSchema(MAX_METADATA_BYTES, 'metadata');

function jsonObjectSchema(maxBytes: number, what: string) {
  return z.custom<JsonObject>().superRefine((value, ctx) => {
    const problem = jsonProblem(value);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: `${what} ${problem}` });
      return;
    }
    const bytes = utf8Length(JSON.stringify(value));
    if (bytes > maxBytes) ctx.addIssue({ code: 'custom', message: `${what} is ${bytes} bytes encoded; the limit is ${maxBytes}` });
  });
}
