import type { BundledFile } from '../platform/bundled-file.ts';

/** DejaVu Sans (regular and bold), embedded in report PDFs: it covers Vietnamese. */
export const REPORT_FONTS = {
  regular: { source: 'node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf', target: 'fonts/DejaVuSans.ttf' },
  bold: {
    source: 'node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf',
    target: 'fonts/DejaVuSans-Bold.ttf',
  },
} as const satisfies Record<string, BundledFile>;
