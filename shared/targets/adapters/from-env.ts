import { sharedDocumentClient } from '../../platform/aws/aws-clients.ts';
import { tableName } from '../../platform/config/runtime-config.ts';
import type { TargetStore } from '../app/ports.ts';
import { DynamoTargetRepository } from './target-repository.ts';

/** The plan targets' store of a function, wired from its environment (read once, at init). */
export const targetStoreFromEnv = (): TargetStore =>
  new DynamoTargetRepository(sharedDocumentClient(), tableName());
