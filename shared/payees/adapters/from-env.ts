import { sharedDocumentClient } from '../../platform/aws/aws-clients.ts';
import { tableName } from '../../platform/config/runtime-config.ts';
import type { PayeeStore } from '../app/ports.ts';
import { DynamoPayeeRepository } from './payee-repository.ts';

/** The payee register of a function, wired from its environment (read once, at init). */
export const payeeStoreFromEnv = (): PayeeStore =>
  new DynamoPayeeRepository(sharedDocumentClient(), tableName());
