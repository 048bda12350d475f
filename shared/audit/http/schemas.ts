import * as z from 'zod';
import {
  BudgetCodes,
  BudgetItem,
  ClosingFiguresView,
  commune,
  ExtensionRecord,
  fundingLine,
  TreasuryVoucher,
} from '../../ledger/http/schemas.ts';
import { code, id, queryInt } from '../../platform/http/schemas.ts';
import { isIsoDate } from '../../platform/vn-calendar.ts';

const day = z.string().refine(isIsoDate, 'must be a real calendar day written YYYY-MM-DD');

export const LedgerEntriesQuery = z.strictObject({
  fiscalYear: queryInt(2000, 2100),
  fundingLine: fundingLine.optional(),
  commune: commune.optional(),
  component: code.optional(),
  allocationId: id.optional(),
  from: day.optional().meta({ description: 'First day, inclusive (Asia/Ho_Chi_Minh)' }),
  to: day.optional().meta({ description: 'Last day, inclusive (Asia/Ho_Chi_Minh)' }),
  limit: queryInt(1, 500).optional().meta({ description: 'Page size, at most 500 (default 100)' }),
  cursor: z.string().max(4096).optional(),
  format: z
    .enum(['json', 'csv'])
    .optional()
    .meta({ description: 'csv: every matching entry as CSV (or send Accept: text/csv)' }),
  lang: z.enum(['en', 'vi']).optional().meta({
    description:
      "The CSV's header line: en (default) the column names, vi Vietnamese headers (Đơn vị thụ hưởng, Nội dung thanh toán, Năm kế hoạch…); the cells are the same",
  }),
});

export const StatementQuery = z
  .strictObject({
    from: day.optional(),
    to: day.optional(),
    limit: queryInt(1, 500).optional().meta({
      description:
        'A page of the statement: its newest lines, at most 500 (default 100 when only a cursor is sent); without limit and cursor, the whole statement',
    }),
    cursor: z
      .string()
      .max(4096)
      .optional()
      .meta({ description: "The previous page's nextCursor: the lines before that page's" }),
  })
  .refine(
    (q) => (q.limit === undefined && q.cursor === undefined) || (q.from === undefined && q.to === undefined),
    {
      message: 'a statement page (limit, cursor) has no period: drop from and to, or drop limit and cursor',
    },
  );

export const VerifyQuery = z
  .strictObject({ allocationId: id.optional(), fiscalYear: queryInt(2000, 2100).optional() })
  .refine((q) => (q.allocationId === undefined) !== (q.fiscalYear === undefined), {
    message: 'give exactly one of allocationId or fiscalYear',
  });

export const DigestsQuery = z.strictObject({ date: day });

export const AuditLogQuery = z.strictObject({
  limit: queryInt(1, 500).optional(),
  cursor: z.string().max(4096).optional(),
});

const ENTRY_KINDS = [
  'disbursement',
  'advance',
  'payment',
  'carry-out',
  'carry-in',
  'reallocation-out',
  'reallocation-in',
] as const;

/** A reallocation entry's decision and the allocation on the other side of its move. */
const ReallocationRefView = z
  .object({
    reallocationId: z.string(),
    decisionNumber: z.string(),
    decidedOn: z.string(),
    move: z.number().meta({ description: "The move's index in the reallocation's moves" }),
    counterpartAllocationId: z.string().meta({
      description: 'The allocation the capital went to (reallocation-out) or came from (reallocation-in)',
    }),
  })
  .meta({ id: 'ReallocationRef' });

export const LedgerEntryView = z
  .object({
    entryId: z.string(),
    kind: z.enum(ENTRY_KINDS).meta({
      description:
        'disbursement: a direct request; advance or payment: a contract request (amountVnd is always the cash out); carry-out and carry-in: the year-end close moving an unspent balance to a next-year allocation (no cash out); reallocation-out and reallocation-in: a reallocation moving assigned capital between allocations of the year (no cash out)',
    }),
    contractId: z.string().optional().meta({ description: 'The contract of an advance or payment' }),
    grossVnd: z.number().optional().meta({ description: "A payment's gross; amountVnd is its net" }),
    recoveryVnd: z.number().optional().meta({ description: 'The advance a payment recovers' }),
    allocationId: z.string(),
    fiscalYear: z.number(),
    fundingLine,
    capitalType: z.string(),
    component: z.string(),
    commune: z.string(),
    jurisdiction: z
      .string()
      .optional()
      .meta({ description: 'Absent on entries of allocations stored before jurisdictions (tay-giang)' }),
    requestId: z.string(),
    amountVnd: z.number(),
    payee: z.object({ name: z.string(), kind: z.string() }),
    purpose: z.string(),
    submittedBy: z.string(),
    approvals: z.array(z.object({ level: z.string(), by: z.string(), at: z.string() })),
    postings: z.array(z.object({ account: z.string(), debitVnd: z.number(), creditVnd: z.number() })),
    budgetCodes: BudgetCodes.optional(),
    budgetItem: BudgetItem.optional(),
    treasuryVoucher: TreasuryVoucher.optional(),
    documents: z
      .array(z.object({ type: z.string(), sha256: z.string() }))
      .optional()
      .meta({ description: "The dossier's verified documents the entry hashes; absent when it had none" }),
    reallocation: ReallocationRefView.optional().meta({
      description: "A reallocation entry's decision and counterpart allocation",
    }),
    postedAt: z.string(),
    seq: z.number(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'LedgerEntry' });

export const StatementView = z
  .object({
    allocationId: z.string(),
    budgetCodes: BudgetCodes.optional(),
    assignedVnd: z.number(),
    disbursedVnd: z.number(),
    openingBalanceVnd: z.number(),
    lines: z.array(
      z.object({
        seq: z.number(),
        postedAt: z.string(),
        requestId: z.string(),
        payee: z.object({ name: z.string(), kind: z.string() }),
        purpose: z.string(),
        kind: z.enum(ENTRY_KINDS),
        contractId: z.string().optional(),
        grossVnd: z.number().optional().meta({ description: "A payment's gross value of work" }),
        recoveryVnd: z.number().optional().meta({ description: 'The advance the payment recovers' }),
        amountVnd: z.number().meta({ description: 'Cash out of the allocation' }),
        balanceVnd: z.number(),
        budgetItem: BudgetItem.optional(),
        treasuryVoucher: TreasuryVoucher.optional(),
        reallocation: ReallocationRefView.optional().meta({
          description: 'A reallocation line: its decision and the allocation on the other side',
        }),
      }),
    ),
    totalsByKind: z
      .object({
        directVnd: z.number(),
        advancesVnd: z.number(),
        paymentsNetVnd: z.number(),
        paymentsGrossVnd: z.number(),
        recoveriesVnd: z.number(),
      })
      .meta({
        description:
          "The period's lines by kind: direct support, advances paid, payments (net cash and gross work) and the advance they recovered",
      }),
    closingBalanceVnd: z.number(),
    ledgerTotalVnd: z.number().optional().meta({
      description:
        "The sum of the allocation's entries: on the whole statement only (a page reads its own lines)",
    }),
    agreesWithAllocation: z.boolean().optional().meta({
      description:
        'Whether the entries add up to disbursedVnd: on the whole statement only (GET /ledger/verify checks it too)',
    }),
    nextCursor: z.string().optional().meta({
      description: 'On a page (limit or cursor): where the older lines go on; absent on the oldest page',
    }),
    deadline: z.string().meta({ description: "The allocation's disbursement deadline (YYYY-MM-DD)" }),
    extensions: z
      .array(ExtensionRecord)
      .meta({ description: 'Decisions that extended the deadline, oldest first' }),
    closing: ClosingFiguresView.optional(),
    carriedFrom: z.string().optional().meta({
      description: 'Capital carried over: the origin allocation (its statement shows it carried out)',
    }),
  })
  .meta({ id: 'Statement' });

export const VerifyView = z
  .object({
    valid: z.boolean(),
    checked: z.number(),
    allocations: z.number(),
    headHash: z.string(),
    broken: z.array(
      z.object({
        allocationId: z.string(),
        seq: z.number(),
        reason: z.string(),
        code: z
          .enum(['amount_out_of_range', 'anchor_missing', 'anchor_unreadable', 'digest_missing'])
          .optional()
          .meta({
            description:
              'amount_out_of_range: a running total is stored outside 0 to 10^15; anchor_missing: the table holds a digest of a day whose anchored copy (outside the table) is missing or lacks the allocation; anchor_unreadable: the anchored copy of a day was altered or is not a digest document; digest_missing: the latest anchored copy lists the allocation but the table holds no digest of that day',
          }),
        date: z.string().optional().meta({
          description: 'The day (YYYY-MM-DD) of the digest or anchored digest the finding is about',
        }),
      }),
    ),
  })
  .meta({ id: 'Verification' });

export const DigestView = z
  .object({
    date: z.string(),
    allocationId: z.string(),
    fiscalYear: z.number(),
    jurisdiction: z
      .string()
      .optional()
      .meta({ description: 'Absent on data stored before jurisdictions (tay-giang)' }),
    seq: z.number(),
    hash: z.string(),
    recordedAt: z.string(),
  })
  .meta({ id: 'Digest' });

export const AuditRecordView = z
  .object({
    id: z.string(),
    at: z.string(),
    by: z.string(),
    groups: z.array(z.string()),
    route: z.string(),
    filters: z.record(z.string(), z.unknown()),
    rows: z.number(),
    commune: z.string().optional(),
    jurisdiction: z
      .string()
      .optional()
      .meta({ description: 'Absent on data stored before jurisdictions (tay-giang)' }),
  })
  .meta({ id: 'AuditRecord' });
