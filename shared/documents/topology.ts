/** Environment variable through which functions receive the documents bucket's name. */
export const DOCUMENTS_BUCKET_ENV = 'DOCUMENTS_BUCKET';
