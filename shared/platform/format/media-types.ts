/**
 * Media types of the files the API takes and answers. Route declarations import them from here, not
 * from the modules that write the files: every function bundles the route list, and those modules
 * would bring their encoders (pdfkit and its fonts' code) into all of them.
 */

/** An XLSX workbook, as Excel saves it. */
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A PDF file. */
export const PDF_MEDIA_TYPE = 'application/pdf';
