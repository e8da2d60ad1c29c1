import { randomBytes } from 'node:crypto';

/** A schema name no other test uses. */
export function freshSchema(tag: string): string {
  return `t_${tag}_${randomBytes(4).toString('hex')}`;
}
