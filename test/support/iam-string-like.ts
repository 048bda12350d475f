/** IAM's `StringLike`: `*` any run of characters (`#` included), `?` one character, case-sensitive. */
export const like = (pattern: string, value: string): boolean =>
  new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
  ).test(value);
