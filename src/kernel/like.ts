/**
 * Patterns for LIKE and ILIKE built from what a user typed: `%`, `_` and the escape character `\`
 * (PostgreSQL's default) are taken literally, so a search for "_" finds underscores, not every row.
 */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, '\\$&');

/** Matches `text` anywhere. */
export const containsPattern = (text: string) => `%${escapeLike(text)}%`;

/** Matches values starting with `text`. */
export const prefixPattern = (text: string) => `${escapeLike(text)}%`;
