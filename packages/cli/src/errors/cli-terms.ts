/**
 * Rewrites the library's words in a message into the command's own: core's transfer and the
 * stores speak of options and methods (`onExisting: "resume"`, `store.setup()`), which a user of
 * the command meets as flags and subcommands.
 */
export function inCliTerms(message: string): string {
  return message
    .replace(/\bonExisting:? "(skip|error|resume)"/g, '--on-existing $1')
    .replace(/\b(?:await )?(?:store\.)?(?:setup|migrate|ensureTable)\(\)/g, 'sessions migrate');
}
