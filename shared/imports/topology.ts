import { type FunctionSpec, MAX_RECEIVE_COUNT, type QueueSpec } from '../platform/topology.ts';

/** The queue of imports too large to apply within their call. */
export const IMPORTS_QUEUE_ID = 'imports';

/** Environment variable through which functions receive the imports queue's URL. */
export const IMPORTS_QUEUE_URL_ENV = 'IMPORTS_QUEUE_URL';

/**
 * The worker's timeout: it applies rows for up to {@link IMPORT_WORKER_BUDGET_SECONDS}, then queues
 * the rest as a continuation, so no invocation runs near its limit whatever the file's size.
 */
export const IMPORT_WORKER_TIMEOUT_SECONDS = 60;

/** How long one worker invocation applies rows before it hands the rest to a continuation message. */
export const IMPORT_WORKER_BUDGET_SECONDS = 40;

/** The imports queue, with its dead-letter queue like every other. */
export const IMPORT_QUEUES: QueueSpec[] = [
  {
    id: IMPORTS_QUEUE_ID,
    urlEnv: IMPORTS_QUEUE_URL_ENV,
    visibilityTimeoutSeconds: 6 * IMPORT_WORKER_TIMEOUT_SECONDS,
    maxReceiveCount: MAX_RECEIVE_COUNT,
    deadLetterRetentionDays: 14,
  },
];

/** The import worker: applies queued imports' rows (read from the bucket) to the ledger. */
export const IMPORT_FUNCTIONS: FunctionSpec[] = [
  {
    id: 'import-worker',
    entry: 'functions/imports/import-worker.ts',
    // One import per invocation: its rows are many already.
    trigger: { kind: 'queue', queueId: IMPORTS_QUEUE_ID, batchSize: 1 },
    timeoutSeconds: IMPORT_WORKER_TIMEOUT_SECONDS,
    environment: {},
    // Writes allocations and requests as createAllocation and submitRequest do, and the import record.
    table: 'read-write',
    // Its own continuation messages.
    sendsTo: [IMPORTS_QUEUE_ID],
    documents: 'imports-read',
  },
];
