/**
 * Imported first by `npm run bench`: the functions' own log lines (one per API call) would bury the tables,
 * so they log warnings and errors only. A module of its own because imports are evaluated before the
 * importing file's code: the loggers read the level when they are created.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
