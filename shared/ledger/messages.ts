import * as z from 'zod';
import { CAPITAL_TYPES, FUNDING_LINES } from './domain/funding-line.ts';

/** A funding line, as messages and the HTTP schemas (./http/schemas.ts) carry it. */
export const fundingLine = z.enum(FUNDING_LINES);

/** The approval event as carried on a funding line's queue. */
export const ApprovalEventMessage = z.object({
  eventId: z.string().min(1),
  requestId: z.string().min(1),
  allocationId: z.string().min(1).optional(),
  fundingLine,
  level: z.string().min(1),
  decision: z.enum(['approve', 'reject']),
  comment: z.string().optional(),
  // The Treasury's voucher (issue 15); checked when the decision was accepted.
  treasuryVoucher: z.object({ number: z.string().min(1), valueDate: z.string().min(1) }).optional(),
  actor: z.object({
    sub: z.string().min(1),
    email: z.string().optional(),
    groups: z.array(z.string()),
    commune: z.string().optional(),
    // The decider's jurisdiction, checked again by the consumer; events queued before it are tay-giang's.
    jurisdiction: z.string().optional(),
  }),
  decidedAt: z.string().min(1),
  outboxKey: z.string().min(1).optional(),
  jurisdiction: z.string().min(1).optional(),
  documents: z.array(z.object({ type: z.string().min(1), sha256: z.string().min(1) })).optional(),
  // An advancing approval as its decider saw the request (disbursement-request.ts, ApprovalEvent.advance).
  advance: z
    .object({
      version: z.number().int().positive(),
      nextLevel: z.string().min(1),
      fiscalYear: z.number().int(),
      capitalType: z.enum(CAPITAL_TYPES),
    })
    .optional(),
});
