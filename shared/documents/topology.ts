/** Environment variable through which functions receive the documents bucket's name. */
export const DOCUMENTS_BUCKET_ENV = 'DOCUMENTS_BUCKET';

/**
 * The documents bucket's one CORS rule (CDK in AWS, the local S3 server alike): the dashboard's origins
 * may PUT a file to a presigned upload URL, with the headers that URL signs, and GET one; no other
 * method, header or origin. The URL's signature remains the permission: CORS only lets the page send it.
 */
export const documentsCorsRule = (origins: readonly string[]) => ({
  allowedOrigins: [...origins],
  allowedMethods: ['PUT', 'GET'] as const,
  allowedHeaders: ['content-type', 'x-amz-checksum-sha256'],
  exposedHeaders: ['ETag'],
  maxAgeSeconds: 3000,
});

/** The rule as S3's PutBucketCors takes it (the local runtime's call, CDK's custom resource in AWS). */
export const documentsCorsConfiguration = (origins: readonly string[]) => {
  const rule = documentsCorsRule(origins);
  return {
    CORSRules: [
      {
        AllowedOrigins: rule.allowedOrigins,
        AllowedMethods: [...rule.allowedMethods],
        AllowedHeaders: rule.allowedHeaders,
        ExposeHeaders: rule.exposedHeaders,
        MaxAgeSeconds: rule.maxAgeSeconds,
      },
    ],
  };
};
