import { Logger, type LogItem } from '@aws-lambda-powertools/logger';
import type { ConstructorOptions } from '@aws-lambda-powertools/logger/types';
import { SERVICE_NAME } from '../topology.ts';

/**
 * Environment variable choosing how log entries print: unset, one JSON object per line (what Lambda
 * and CloudWatch Logs Insights read); `text`, one readable line per entry (the local runtime sets it).
 */
export const LOG_FORMAT_ENV = 'GIAI_NGAN_LOG_FORMAT';

/** The SQS message attribute that carries a correlation id from a publisher to its consumer. */
export const CORRELATION_ID_ATTRIBUTE = 'correlationId';

/** Keys of every Powertools entry that a reader at a terminal does not need on each line. */
const QUIET_KEYS = new Set([
  'timestamp',
  'level',
  'message',
  'service',
  'function_name',
  'correlation_id',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_request_id',
  'sampling_rate',
  'xray_trace_id',
]);

/** `time level function [correlation id] message {other keys}`, for a person reading a terminal. */
export const readableLine = (entry: Record<string, unknown>): string => {
  const time = String(entry.timestamp ?? '').slice(11, 23);
  const rest = Object.fromEntries(Object.entries(entry).filter(([k]) => !QUIET_KEYS.has(k)));
  const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
  const fn = entry.function_name ?? entry.service ?? '-';
  const id = entry.correlation_id ? ` [${String(entry.correlation_id)}]` : '';
  return `${time} ${String(entry.level).padEnd(5)} ${String(fn)}${id} ${String(entry.message)}${extra}`;
};

/** Powertools' Logger, printing readable lines instead of JSON when LOG_FORMAT_ENV says `text`. */
class ProjectLogger extends Logger {
  protected override printLog(logLevel: number, log: LogItem): void {
    if (process.env[LOG_FORMAT_ENV] !== 'text') {
      super.printLog(logLevel, log);
      return;
    }
    log.prepareForPrint();
    process.stdout.write(`${readableLine(log.getAttributes())}\n`);
  }

  protected override createLogger(options?: ConstructorOptions): ProjectLogger {
    return new ProjectLogger(options);
  }

  override createChild(options?: ConstructorOptions): ProjectLogger {
    return super.createChild(options) as ProjectLogger;
  }
}

/**
 * The one logger of a function (service name from POWERTOOLS_SERVICE_NAME, level from
 * POWERTOOLS_LOG_LEVEL). Its Lambda context and correlation id are set per invocation by the
 * function's middy chain; a consumer logs each record through a child carrying the record's id.
 */
export const logger = new ProjectLogger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME });

export type ProjectLog = ProjectLogger;

/** The correlation id of the invocation under way, for a publisher to pass on to its consumers. */
export const currentCorrelationId = (): string | undefined => {
  const id = logger.getCorrelationId();
  return typeof id === 'string' && id !== '' ? id : undefined;
};

/** SQS message attributes carrying the current correlation id, if any. */
export const correlationAttributes = (): Record<string, { DataType: 'String'; StringValue: string }> => {
  const id = currentCorrelationId();
  return id ? { [CORRELATION_ID_ATTRIBUTE]: { DataType: 'String', StringValue: id } } : {};
};

/**
 * A child logger for one SQS record: the correlation id its publisher attached (the record's own
 * message id when there is none) and the given keys on every entry.
 */
export const recordLogger = (
  record: { messageId: string; messageAttributes?: Record<string, { stringValue?: string }> },
  keys: Record<string, unknown> = {},
): ProjectLogger => {
  const child = logger.createChild();
  child.setCorrelationId(
    record.messageAttributes?.[CORRELATION_ID_ATTRIBUTE]?.stringValue ?? record.messageId,
  );
  child.appendKeys({ messageId: record.messageId, ...keys });
  return child;
};
