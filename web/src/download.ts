import { h } from './dom.ts';

/**
 * Saves a file the API answered (read with the bearer token, so not a plain link) under a name: an
 * object URL clicked as a download, released once the browser has it.
 */
export const saveBlob = (blob: Blob, fileName: string): void => {
  const a = h('a', { href: URL.createObjectURL(blob), download: fileName });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
};
