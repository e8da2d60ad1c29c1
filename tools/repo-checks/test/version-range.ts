/**
 * Whether a semver range has an upper bound, so an install never picks a major version that no
 * test here has run (`>=5.4.0` installed ioredis 6 once). Every `||` alternative must be
 * bounded: a caret or tilde range, one with a `<` comparator, a hyphen range, an exact version,
 * or a partial version with its major given (`5`, `5.x`). A tag or a bare `*` is unbounded.
 */
export function isBoundedRange(range: string): boolean {
  const alternatives = range.split('||').map((part) => part.trim());
  return alternatives.length > 0 && alternatives.every(isBoundedSet);
}

function isBoundedSet(set: string): boolean {
  if (set === '' || set === '*' || /^[xX]/.test(set)) return false;
  if (/\s-\s/.test(set)) return true;
  const comparators = set.split(/\s+/);
  return comparators.some((c) => c.startsWith('^') || c.startsWith('~') || c.startsWith('<') || /^=?v?\d+(\.(\d+|[xX*]))*(-[\w.]+)?$/.test(c));
}

/**
 * Whether `range` is a caret range (`^0.1.0`) that `version` satisfies: the range a workspace
 * package must use for another one, so the current version always fits it (one copy per app).
 */
export function isCaretRangeFor(range: string | undefined, version: string | undefined): boolean {
  const bound = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(range ?? '')?.slice(1).map(Number);
  const current = /^(\d+)\.(\d+)\.(\d+)$/.exec(version ?? '')?.slice(1).map(Number);
  if (!bound || !current) return false;
  const [major, minor, patch] = bound as [number, number, number];
  const [vMajor, vMinor, vPatch] = current as [number, number, number];
  const atLeast = vMajor > major || (vMajor === major && (vMinor > minor || (vMinor === minor && vPatch >= patch)));
  // A caret keeps the left-most non-zero part: ^1.2.3 is 1.x, ^0.1.0 is 0.1.x, ^0.0.3 is 0.0.3 only.
  if (major > 0) return atLeast && vMajor === major;
  if (minor > 0) return atLeast && vMajor === 0 && vMinor === minor;
  return vMajor === 0 && vMinor === 0 && vPatch === patch;
}
