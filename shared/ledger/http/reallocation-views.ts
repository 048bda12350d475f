import type * as z from 'zod';
import type { Reallocation } from '../domain/reallocation.ts';
import type { ReallocationView } from './reallocation-schemas.ts';

/** A reallocation as the API shows it, fields in a reading order (a projection: a view of a view is the view). */
export const reallocationView = (r: Reallocation): z.output<typeof ReallocationView> => ({
  id: r.id,
  jurisdiction: r.jurisdiction,
  fiscalYear: r.fiscalYear,
  decisionNumber: r.decisionNumber,
  decidedOn: r.decidedOn,
  reason: r.reason,
  moves: r.moves.map((m) => ({
    fromAllocationId: m.fromAllocationId,
    toAllocationId: m.toAllocationId,
    amountVnd: m.amountVnd,
  })),
  totalVnd: r.totalVnd,
  communes: r.communes,
  status: r.status,
  requestedBy: r.requestedBy,
  ...(r.requestedByEmail !== undefined ? { requestedByEmail: r.requestedByEmail } : {}),
  requestedAt: r.requestedAt,
  ...(r.decision
    ? {
        decision: {
          decision: r.decision.decision,
          by: r.decision.by,
          ...(r.decision.email !== undefined ? { email: r.decision.email } : {}),
          at: r.decision.at,
          ...(r.decision.comment !== undefined ? { comment: r.decision.comment } : {}),
        },
      }
    : {}),
  ...(r.appliedAt !== undefined ? { appliedAt: r.appliedAt } : {}),
  version: r.version,
});
