import * as z from 'zod';
import type {} from 'zod-openapi';
import { id, queryInt, text, totalVnd } from '../../platform/http/schemas.ts';
import { MAX_AMOUNT_VND } from '../../platform/money.ts';
import { isIsoDate } from '../../platform/vn-calendar.ts';
import { CONTRACT_KINDS } from '../domain/contract.ts';
import { PAYEE_KINDS } from '../domain/funding-line.ts';
import { commune } from './schemas.ts';

const valueVnd = z
  .int('must be a whole number of VND (no fractions, no strings)')
  .positive('must be greater than 0')
  .max(MAX_AMOUNT_VND, 'must be at most 10^15 VND')
  .meta({ description: 'Positive whole number of Vietnamese đồng', example: 2_000_000_000 });

export const CreateContractBody = z
  .strictObject({
    allocationId: id.meta({ description: 'The allocation the contract draws on; it lives in its scope' }),
    number: text(100).meta({ description: 'The contract number', example: '05/2024/HĐXD' }),
    signedOn: z
      .string()
      .refine(isIsoDate, 'must be a real calendar day written YYYY-MM-DD')
      .meta({ example: '2024-03-15' }),
    payeeId: id.meta({ description: 'The contractor, from the payee register (GET /payees)' }),
    valueVnd,
    kind: z.enum(CONTRACT_KINDS),
    advanceGuaranteeRequired: z.boolean().optional().meta({
      description:
        'Whether an advance needs a guarantee (bảo lãnh tạm ứng); the policy default when left out',
    }),
  })
  .meta({ id: 'CreateContract' });

export const AmendmentBody = z
  .strictObject({
    decisionNumber: text(100).meta({ example: '125/QĐ-UBND' }),
    reason: text(500, { multiline: true }),
    valueVnd: valueVnd.optional().meta({ description: 'The new value (or give deltaVnd)' }),
    deltaVnd: z
      .int('must be a whole number of VND')
      .min(-MAX_AMOUNT_VND, 'must be at least -10^15')
      .max(MAX_AMOUNT_VND, 'must be at most 10^15')
      .refine((n) => n !== 0, 'must not be 0')
      .optional()
      .meta({ description: 'A signed change of the value (or give valueVnd)' }),
  })
  .refine((b) => (b.valueVnd === undefined) !== (b.deltaVnd === undefined), {
    message: 'give exactly one of valueVnd (the new value) and deltaVnd (a signed change)',
    path: ['valueVnd'],
  })
  .meta({ id: 'ContractAmendment' });

export const ContractView = z
  .object({
    id: z.string(),
    allocationId: z.string(),
    jurisdiction: z.string(),
    commune: z.string(),
    fiscalYear: z.number(),
    number: z.string(),
    signedOn: z.string(),
    kind: z.enum(CONTRACT_KINDS),
    payeeId: z.string(),
    payee: z.object({ name: z.string(), kind: z.enum(PAYEE_KINDS) }),
    advanceGuaranteeRequired: z.boolean(),
    advanceMaxPercent: z.number().meta({ description: 'The share of the value that may be advanced' }),
    recoveryCompleteAtPercent: z
      .number()
      .meta({ description: 'The advance is recovered in full when payments reach this share of the value' }),
    valueVnd: totalVnd,
    paidVnd: totalVnd.meta({ description: 'Gross value of posted payments' }),
    advancedVnd: totalVnd.meta({ description: 'Posted advances' }),
    recoveredVnd: totalVnd.meta({ description: 'Advance recovered by posted payments' }),
    advanceOutstandingVnd: totalVnd.meta({ description: 'advanced − recovered (dư tạm ứng)' }),
    advanceLimitVnd: totalVnd,
    pendingPaymentVnd: totalVnd.meta({ description: 'Gross of pending payments' }),
    pendingAdvanceVnd: totalVnd,
    pendingRecoveryVnd: totalVnd,
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Contract' });

export const ListContractsQuery = z.strictObject({
  allocationId: id.optional().meta({ description: 'The allocation the contracts draw on' }),
  fiscalYear: queryInt(2000, 2100).optional(),
  commune: commune.optional(),
});

export const ContractList = z
  .object({ items: z.array(ContractView).meta({ description: 'By signing date, oldest first' }) })
  .meta({ id: 'ContractList' });

export const AmendmentView = z
  .object({
    id: z.string(),
    contractId: z.string(),
    decisionNumber: z.string(),
    reason: z.string(),
    previousValueVnd: z.number(),
    valueVnd: z.number(),
    by: z.string(),
    at: z.string(),
    contract: ContractView,
  })
  .meta({ id: 'ContractAmendmentResult' });
