import { Tracer } from '@aws-lambda-powertools/tracer';
import { SERVICE_NAME } from '../topology.ts';

/**
 * X-Ray tracing of the functions (the CDK app turns active tracing on): a segment per invocation and
 * a subsegment per AWS SDK call of the shared clients. Outside Lambda it records nothing.
 */
export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME });
