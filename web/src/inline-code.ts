/** A piece of a help text: plain words, or a command to type (shown as `<code>`, without the backticks). */
export interface TextPart {
  text: string;
  code: boolean;
}

/**
 * A help text with `backticked` commands split into parts, so the screen shows the command as code
 * and never the Markdown backticks; an unpaired backtick stays as it is.
 */
export const inlineCodeParts = (text: string): TextPart[] => {
  const parts: TextPart[] = [];
  const pattern = /`([^`]+)`/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) parts.push({ text: text.slice(last, match.index), code: false });
    parts.push({ text: match[1] ?? '', code: true });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), code: false });
  return parts;
};
