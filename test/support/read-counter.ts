import type { createDocumentClient } from '../../shared/platform/aws/aws-clients.ts';

/** One read request as the SDK sent it and DynamoDB answered it. */
export interface ReadSeen {
  command: string;
  input: Record<string, unknown>;
  output: Record<string, unknown>;
}

/**
 * Calls `seen` for each read request (Get, BatchGet, Query, Scan) the client sends, once answered: the
 * tests that count what a read costs, at the SDK layer.
 */
export const onReads = (client: ReturnType<typeof createDocumentClient>, seen: (read: ReadSeen) => void) =>
  client.middlewareStack.add(
    ((
      next: (args: unknown) => Promise<{ output: Record<string, unknown> }>,
      context: { commandName?: string },
    ) =>
      async (args: { input: Record<string, unknown> }) => {
        const result = await next(args);
        const command = context.commandName ?? '';
        if (/^(Get|BatchGet|Query|Scan)/.test(command))
          seen({ command, input: args.input, output: result.output });
        return result;
      }) as never,
    { step: 'initialize', name: 'count-reads', override: true },
  );
