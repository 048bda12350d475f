import { sharedDocumentClient } from '../../platform/aws/aws-clients.ts';
import { tableName } from '../../platform/config/runtime-config.ts';
import type { ImportStore } from '../app/ports.ts';
import { DynamoImportRepository } from './import-repository.ts';

/** The import records of a function's table (read once, at init). */
export const importStoreFromEnv = (): ImportStore =>
  new DynamoImportRepository(sharedDocumentClient(), tableName());
