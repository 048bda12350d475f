/**
 * Text folded for matching what people type against a label: NFC, no accents (đ → d), lower case,
 * every run of other characters (spaces, dashes, brackets, dots) one space, trimmed. "Loại–khoản",
 * "loai - khoan" and "LOẠI KHOẢN" all fold to "loai khoan".
 */
export const folded = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
