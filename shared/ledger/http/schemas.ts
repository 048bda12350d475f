import * as z from 'zod';
import type {} from 'zod-openapi';
import { JURISDICTIONS } from '../../jurisdictions/config/index.ts';
import { placeNames } from '../../jurisdictions/domain/place-names.ts';
import { policyJurisdictions } from '../../platform/config/approval-policies/index.ts';
import { code, fiscalYear, id, problems, queryInt, text, totalVnd } from '../../platform/http/schemas.ts';
import { MAX_AMOUNT_VND } from '../../platform/money.ts';
import { isIsoDate } from '../../platform/vn-calendar.ts';
import { INVESTOR_KINDS, UNIT_TIERS } from '../domain/approval-policy.ts';
import { REQUEST_KINDS, REQUEST_STATUSES } from '../domain/disbursement-request.ts';
import { CAPITAL_TYPES, PAYEE_KINDS } from '../domain/funding-line.ts';
import { VOUCHER_NUMBER } from '../domain/treasury-voucher.ts';
import { fundingLine } from '../messages.ts';

export { fundingLine };

const amountVnd = z
  .int('must be a whole number of VND (no fractions, no strings)')
  .positive('must be greater than 0')
  .max(MAX_AMOUNT_VND, 'must be at most 10^15 VND')
  .meta({ description: 'Positive whole number of Vietnamese đồng', example: 40_000_000 });

/** The commune-level units of every jurisdiction served, by the names data records for them. */
const COMMUNES = [...new Set(JURISDICTIONS.flatMap((j) => placeNames(j).communes))];

export const commune = z.enum(
  COMMUNES as [string, ...string[]],
  'must be the name of a commune of a jurisdiction this deployment serves, as GET /jurisdictions/{id}/units lists it (e.g. "A Tiêng")',
);

export const investor = z
  .enum(INVESTOR_KINDS)
  .meta({ description: 'Who owns the project and prepares its payment dossiers (chủ đầu tư)' });
const jurisdiction = z
  .enum(policyJurisdictions as [string, ...string[]], `must be one of ${policyJurisdictions.join(', ')}`)
  .meta({
    description: 'The jurisdiction (a province or city, historically a district) the data belongs to',
  });

const digits = (n: number, example: string) =>
  z.string().regex(new RegExp(`^\\d{${n}}$`), `must be ${n} digits (e.g. "${example}")`);

/** The budget classification of an allocation (mục lục ngân sách), checked against its year's catalogue. */
export const BudgetCodes = z
  .strictObject({
    chapter: digits(3, '805').meta({ description: 'Chương' }),
    sector: z
      .string()
      .regex(/^\d{3}-\d{3}$/, 'must be loại and khoản, 3 digits each, joined by a dash (e.g. "370-398")')
      .meta({ description: 'Loại–khoản' }),
    programme: digits(4, '0070').meta({ description: 'Chương trình, mục tiêu quốc gia' }),
    project: digits(7, '7654321').optional().meta({ description: 'Mã dự án đầu tư, where there is one' }),
    source: digits(2, '01').meta({ description: 'Mã nguồn ngân sách' }),
  })
  .meta({ id: 'BudgetCodes' });

/** Item and sub-item (mục – tiểu mục) of a request, checked against its allocation's year's catalogue. */
export const BudgetItem = z
  .strictObject({
    item: digits(4, '7750').meta({ description: 'Mục' }),
    subItem: digits(4, '7756').meta({ description: 'Tiểu mục' }),
  })
  .meta({ id: 'BudgetItem' });

/** The State Treasury's voucher (chứng từ KBNN) recorded with the Treasury level's approval. */
export const TreasuryVoucher = z
  .strictObject({
    number: z
      .string()
      .regex(
        VOUCHER_NUMBER,
        'must be 1 to 40 upper-case letters, digits, ".", "/" or "-", starting with a letter or digit',
      )
      .meta({ example: 'UNC-000123' }),
    valueDate: z
      .string()
      .refine(isIsoDate, 'must be a real calendar day written YYYY-MM-DD')
      .meta({ description: 'Value date (ngày hạch toán), Asia/Ho_Chi_Minh', example: '2024-09-12' }),
  })
  .meta({ id: 'TreasuryVoucher' });

export const CreateAllocationBody = z
  .strictObject({
    fiscalYear,
    fundingLine,
    capitalType: z.enum(CAPITAL_TYPES),
    component: code,
    commune,
    investor: investor
      .optional()
      .meta({ description: 'Chooses the approval chain with the funding line; commune when left out' }),
    jurisdiction: jurisdiction.optional().meta({
      description: "The caller's own (the token's custom:jurisdiction) or left out; another's is 403",
    }),
    title: text(200),
    amountVnd,
    budgetCodes: BudgetCodes.optional().meta({
      description:
        'Checked against the catalogue of the fiscal year; optional (invalid_budget_code when wrong)',
    }),
  })
  .meta({ id: 'CreateAllocation' });

export const AdjustmentBody = z
  .strictObject({
    deltaVnd: z
      .int('must be a whole number of VND')
      .min(-MAX_AMOUNT_VND, 'must be at least -10^15')
      .max(MAX_AMOUNT_VND, 'must be at most 10^15')
      .refine((n) => n !== 0, 'must not be 0'),
    reason: text(500, { multiline: true }),
  })
  .meta({ id: 'Adjustment' });

const isoDay = (description: string, example: string) =>
  z
    .string()
    .refine(isIsoDate, 'must be a real calendar day written YYYY-MM-DD')
    .meta({ description, example });

/** An extension of an allocation's deadline by a numbered decision (quyết định kéo dài thời gian giải ngân). */
export const ExtensionBody = z
  .strictObject({
    decisionNumber: text(100),
    decidedOn: isoDay('The day the decision was signed (Asia/Ho_Chi_Minh)', '2025-01-20'),
    deadline: isoDay(
      'The new last day payments may post: after the current deadline, at most 31/12 of the year after the fiscal year',
      '2025-12-31',
    ),
  })
  .meta({ id: 'Extension' });

export const ExtensionRecord = z
  .object({
    decisionNumber: z.string(),
    decidedOn: z.string(),
    previousDeadline: z.string(),
    deadline: z.string(),
    by: z.string(),
    at: z.string(),
  })
  .meta({ id: 'DeadlineExtension' });

/** What a request's kind needs: a direct one its allocation and payee (by payeeId, or deprecated inline); an advance or payment its contract (whose payee it takes). */
const requestKindRules = (
  b: {
    kind?: string;
    allocationId?: string;
    payee?: unknown;
    payeeId?: string;
    contractId?: string;
    recoveryVnd?: number;
  },
  ctx: z.core.$RefinementCtx,
) => {
  const kind = b.kind ?? 'direct';
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (kind === 'direct') {
    if (b.allocationId === undefined) issue('allocationId', 'is required for a direct request');
    if ((b.payeeId === undefined) === (b.payee === undefined)) {
      issue(
        'payeeId',
        'name the payee either by payeeId (from POST /payees) or by payee {name, kind} (deprecated), exactly one of the two',
      );
    }
    if (b.contractId !== undefined) issue('contractId', 'is for an advance or payment: set kind');
  } else {
    if (b.contractId === undefined) issue('contractId', `is required for an ${kind}`);
    if (b.payee !== undefined) issue('payee', `must be left out: an ${kind} pays the contract's payee`);
    if (b.payeeId !== undefined) issue('payeeId', `must be left out: an ${kind} pays the contract's payee`);
  }
  if (b.recoveryVnd !== undefined && kind !== 'payment') issue('recoveryVnd', 'is for a payment only');
};

export const SubmitRequestBody = z
  .strictObject({
    kind: z.enum(REQUEST_KINDS).optional().meta({
      description:
        'direct (the default): support without a contract; advance or payment: against contractId, paid to its payee',
    }),
    allocationId: id
      .optional()
      .meta({ description: "Required for direct; for a contract's requests, its own" }),
    contractId: id
      .optional()
      .meta({ description: 'The contract of an advance or payment (POST /contracts)' }),
    amountVnd,
    recoveryVnd: z
      .int('must be a whole number of VND (no fractions, no strings)')
      .min(0, 'must not be negative')
      .max(MAX_AMOUNT_VND, 'must be at most 10^15 VND')
      .optional()
      .meta({
        description:
          "A payment's recovery of the contract's advance (0 when left out); the cash paid is amountVnd − recoveryVnd",
      }),
    payeeId: id.optional().meta({
      description:
        'A direct request: the payee from the register (POST /payees, GET /payees?q=); an advance or payment pays the contract’s',
    }),
    payee: z
      .strictObject({ name: text(200), kind: z.enum(PAYEE_KINDS) })
      .optional()
      .meta({
        description: 'Deprecated, a direct request only: name the payee by payeeId. Exactly one of the two.',
      }),
    purpose: text(500),
    outputs: z
      .record(
        code,
        z
          .int('must be a whole number')
          .min(0, 'must not be negative')
          .max(1_000_000, 'must be at most 1,000,000'),
      )
      .refine((o) => Object.keys(o).length <= 20, 'must have at most 20 entries')
      .optional()
      .meta({ example: { houses: 3 } }),
    budgetItem: BudgetItem.optional().meta({
      description:
        "Checked against the catalogue of the allocation's fiscal year and capital type; optional (invalid_budget_code when wrong)",
    }),
  })
  .superRefine(requestKindRules)
  .meta({ id: 'SubmitRequest' });

export const DecisionBody = z
  .strictObject({
    decision: z.enum(['approve', 'reject']),
    comment: text(500, { multiline: true }).optional(),
    treasuryVoucher: TreasuryVoucher.optional().meta({
      description:
        'Required with the approval of a level at the Treasury tier (voucher_required), refused with any other decision (voucher_not_expected); unique per jurisdiction and fiscal year (duplicate_voucher)',
    }),
  })
  .meta({ id: 'Decision' });

export const ListAllocationsQuery = z.strictObject({
  fiscalYear: queryInt(2000, 2100).optional(),
  fundingLine: fundingLine.optional(),
  commune: commune.optional(),
  component: code.optional(),
});

export const ListRequestsQuery = z.strictObject({
  status: z.enum(REQUEST_STATUSES).optional(),
  allocationId: id.optional(),
  limit: queryInt(1, 100).optional(),
  cursor: z.string().max(2048).optional(),
});

/** An allocation's figures at its year's close (quyết toán, chuyển nguồn). */
export const ClosingFiguresView = z
  .object({
    decisionNumber: z.string(),
    decidedOn: z.string(),
    assignedVnd: totalVnd,
    disbursedVnd: totalVnd,
    returnedVnd: totalVnd.meta({ description: 'Unspent and not carried over: returned to the budget' }),
    carriedOverVnd: totalVnd.meta({ description: 'Carried over to the next year (chuyển nguồn)' }),
    carriedTo: z.string().optional().meta({ description: 'The next-year allocation it carried to' }),
    closedAt: z.string(),
    closedBy: z.string(),
  })
  .meta({
    id: 'ClosingFigures',
    description:
      'Present once the fiscal year is closed: the allocation then takes no more writes (fiscal_year_closed)',
  });

export const AllocationView = z
  .object({
    id: z.string(),
    fiscalYear: z.number(),
    fundingLine,
    capitalType: z.enum(CAPITAL_TYPES),
    component: z.string(),
    commune: z.string(),
    investor,
    jurisdiction: z.string().optional().meta({ description: 'Absent: the default jurisdiction' }),
    budgetCodes: BudgetCodes.optional(),
    title: z.string(),
    carriedFrom: z.string().optional().meta({
      description:
        'Capital carried over from an earlier year (chuyển nguồn): the origin allocation’s id. Absent: the year’s own capital',
    }),
    assignedVnd: totalVnd,
    reservedVnd: totalVnd,
    disbursedVnd: totalVnd,
    availableVnd: totalVnd,
    reallocatedVnd: z.number().optional().meta({
      description:
        'Capital reallocations moved in less what they moved out (điều chỉnh kế hoạch vốn), already in assignedVnd; absent before any',
    }),
    advancedVnd: totalVnd.meta({ description: 'Of disbursedVnd: advances paid on its contracts (tạm ứng)' }),
    recoveredVnd: totalVnd.meta({
      description: 'Advance recovered by its contracts’ payments (thu hồi tạm ứng)',
    }),
    advanceOutstandingVnd: totalVnd.meta({
      description: 'advancedVnd − recoveredVnd: advance paid and not yet recovered (dư nợ tạm ứng)',
    }),
    deadline: z.string().meta({
      description:
        'The last day payments may post (YYYY-MM-DD, Asia/Ho_Chi_Minh): set at creation from config by capital type (the default for allocations stored without one), moved by extensions',
    }),
    extensions: z.array(ExtensionRecord).meta({ description: 'Extensions of the deadline, oldest first' }),
    closing: ClosingFiguresView.optional(),
    headSeq: z.number(),
    headHash: z.string(),
    createdAt: z.string(),
    createdBy: z.string(),
  })
  .meta({ id: 'Allocation' });

export const RequestView = z
  .object({
    id: z.string(),
    allocationId: z.string(),
    fiscalYear: z.number(),
    fundingLine,
    capitalType: z.enum(CAPITAL_TYPES),
    commune: z.string(),
    component: z.string(),
    investor,
    jurisdiction: z
      .string()
      .optional()
      .meta({ description: 'Absent on requests stored before jurisdictions' }),
    amountVnd: z.number(),
    payee: z.object({ name: z.string(), kind: z.enum(PAYEE_KINDS) }).meta({
      description: "The payee's name and kind at submission (the register's, when payeeId is set)",
    }),
    payeeId: z.string().optional().meta({ description: 'The register payee; absent for an inline payee' }),
    purpose: z.string(),
    outputs: z.record(z.string(), z.number()).optional(),
    kind: z.enum(REQUEST_KINDS).optional().meta({ description: 'Absent: direct' }),
    contractId: z.string().optional(),
    recoveryVnd: z.number().optional().meta({ description: "A payment's recovery of the advance" }),
    advanceGuaranteeRequired: z
      .boolean()
      .optional()
      .meta({ description: 'An advance whose contract requires a guarantee: its dossier needs one' }),
    budgetItem: BudgetItem.optional(),
    status: z.enum(REQUEST_STATUSES),
    chain: z.array(z.string()),
    approvalLevels: z
      .array(z.object({ level: z.string(), tier: z.enum([...UNIT_TIERS, 'treasury']), group: z.string() }))
      .optional()
      .meta({
        description:
          'The chain with the tier of each level and the token group that decides it, as the policy gave them at submission; absent on older requests',
      }),
    nextLevel: z
      .string()
      .optional()
      .meta({ description: 'The level whose decision is awaited; while pending' }),
    pendingSince: z.string().optional().meta({ description: 'Since when that level has been waiting' }),
    approvals: z.array(
      z.object({
        level: z.string(),
        decision: z.enum(['approve', 'reject']),
        by: z.string(),
        email: z.string().optional().meta({ description: "The approver's e-mail, when the token had one" }),
        at: z.string(),
        comment: z.string().optional(),
        treasuryVoucher: TreasuryVoucher.optional(),
      }),
    ),
    submittedBy: z.string(),
    submittedByEmail: z
      .string()
      .optional()
      .meta({ description: "The submitter's e-mail, when the token had one" }),
    expired: z.object({ deadline: z.string(), at: z.string() }).optional().meta({
      description:
        "Status expired: the allocation's deadline the pending request met, and when its expiry was recorded (its reservation released)",
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'DisbursementRequest' });

export const AdjustmentView = z
  .object({
    id: z.string(),
    allocationId: z.string(),
    deltaVnd: z.number(),
    reason: z.string(),
    by: z.string(),
    at: z.string(),
    allocation: AllocationView,
  })
  .meta({ id: 'AdjustmentResult' });

export const ExtensionView = ExtensionRecord.extend({ allocation: AllocationView }).meta({
  id: 'ExtensionResult',
});

/** A year-end close (khóa sổ, chuyển nguồn) by a numbered decision. */
export const CloseFiscalYearBody = z
  .strictObject({
    decisionNumber: text(100),
    decidedOn: isoDay('The day the decision was signed (Asia/Ho_Chi_Minh)', '2025-02-10'),
    carryOver: z
      .array(
        z.strictObject({
          allocationId: id,
          amountVnd: z
            .int('must be a whole number of VND')
            .min(1, 'must be at least 1')
            .max(MAX_AMOUNT_VND, 'must be at most 10^15')
            .optional()
            .meta({ description: 'Left out: the whole unspent available balance' }),
        }),
      )
      .max(1000, 'must list at most 1000 allocations')
      .meta({
        description:
          'The allocations of the year (the caller’s jurisdiction’s) whose unspent balance carries over; the rest is returned',
      }),
  })
  .meta({ id: 'CloseFiscalYear' });

export const FiscalYearPath = z.strictObject({ year: queryInt(2000, 2100) });

export const FiscalYearCloseView = z
  .object({
    fiscalYear: z.number(),
    jurisdiction: z.string(),
    decisionNumber: z.string(),
    decidedOn: z.string(),
    status: z.literal('closed'),
    closedAt: z.string(),
    closedBy: z.string(),
    allocations: z.array(ClosingFiguresView.extend({ allocationId: z.string() })),
  })
  .meta({ id: 'FiscalYearClose' });

export const DecisionAccepted = z
  .object({ eventId: z.string(), requestId: z.string(), level: z.string() })
  .meta({ id: 'DecisionAccepted' });

export const AllocationList = z
  .object({ items: z.array(AllocationView), problems })
  .meta({ id: 'AllocationList' });
