/**
 * What a stored text may hold. Names, titles and purposes end up in the ledger's hash chain, in CSV
 * exports, statements and e-mails: one household must have one spelling, and no character may change
 * how the text reads (bidi overrides), hide it (zero-width only) or break the line it is printed on.
 */

/** C0 and C1 control characters and DEL (tab and line feed included). */
const CONTROL = /\p{Cc}/u;
/** Bidi embeddings, overrides and isolates: they reorder what a reader sees (U+202A–U+202E, U+2066–U+2069). */
const BIDI = /[\u202A-\u202E\u2066-\u2069]/u;
/** Line and paragraph separators, which break a line like a line feed does. */
const SEPARATOR = /[\u2028\u2029]/u;
/** An unpaired UTF-16 surrogate: half of a character, not text. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Invisible characters (zero-width space and joiners, BOM, word joiner, …) and blanks. */
const INVISIBLE = /[\s\p{Default_Ignorable_Code_Point}]/gu;

const codePoint = (c: string) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** How a text field treats line breaks: `multiline` free text (a comment) keeps `\n`, nothing else. */
export interface TextRules {
  multiline?: boolean;
}

/**
 * What is wrong with a text, as an instruction to the sender, or undefined when it may be stored.
 * Expects NFC text (see {@link normalizeText}); U+FFFD is refused because it only appears where bytes
 * were not valid UTF-8 somewhere on the way.
 */
export const textProblem = (text: string, rules: TextRules = {}): string | undefined => {
  const surrogate = LONE_SURROGATE.exec(text);
  if (surrogate) {
    const at = [...text.slice(0, surrogate.index)].length + 1;
    return `must be valid Unicode text: it holds an unpaired surrogate (${codePoint(surrogate[0])} at character ${at}); send the whole character`;
  }
  if (text.includes('\uFFFD')) {
    return 'must be valid UTF-8 text: it holds U+FFFD, the mark left where invalid bytes were; send the text again as UTF-8';
  }
  for (const [i, c] of [...text].entries()) {
    if (c === '\n' && rules.multiline) continue;
    if (CONTROL.test(c) || SEPARATOR.test(c)) {
      const what = rules.multiline
        ? 'control characters other than a line break'
        : 'control characters or line breaks';
      return `must not contain ${what} (found ${codePoint(c)} at character ${i + 1}); remove it${rules.multiline ? '' : ' and keep the text on one line'}`;
    }
    if (BIDI.test(c)) {
      return `must not contain bidirectional override or isolate characters (found ${codePoint(c)} at character ${i + 1}); remove it`;
    }
  }
  if (text.length > 0 && text.replace(INVISIBLE, '') === '') {
    return 'must contain visible characters, not only blank or zero-width ones';
  }
  return undefined;
};

/** NFC, so one name has one spelling whatever the keyboard sent; in multi-line text, CRLF and CR become LF. */
export const normalizeText = (text: string, rules: TextRules = {}): string => {
  const nfc = text.normalize('NFC');
  return rules.multiline ? nfc.replace(/\r\n?/g, '\n') : nfc;
};

/**
 * A stored text on one line, for places where a line break would be read as structure: plain-text
 * e-mail parts and headers. Texts stored before the hygiene rules may still hold breaks and tabs.
 */
export const oneLine = (text: string): string =>
  text.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').replace(/ {2,}/g, ' ');

/**
 * A name taken from a request (a field or key), quoted to be echoed in an error message: invisible,
 * control and bidi characters appear as `\u{…}` escapes, and a long name is cut.
 */
export const quoteForMessage = (name: string, max = 64): string => {
  const shown = [...name]
    .slice(0, max)
    .map((c) =>
      CONTROL.test(c) ||
      BIDI.test(c) ||
      SEPARATOR.test(c) ||
      LONE_SURROGATE.test(c) ||
      /\p{Default_Ignorable_Code_Point}/u.test(c)
        ? `\\u{${(c.codePointAt(0) ?? 0).toString(16).toUpperCase()}}`
        : c,
    )
    .join('');
  return `"${shown}${[...name].length > max ? '…' : ''}"`;
};
