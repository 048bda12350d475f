import * as z from 'zod';
import type {} from 'zod-openapi';
import { PAYEE_KINDS } from '../../ledger/domain/funding-line.ts';
import { commune } from '../../ledger/http/schemas.ts';
import { queryInt, text } from '../../platform/http/schemas.ts';

export const CreatePayeeBody = z
  .strictObject({
    kind: z.enum(PAYEE_KINDS).meta({
      description:
        'household and individual are registered by citizenId; cooperative, contractor and agency by taxCode',
    }),
    name: text(200).meta({ example: 'Hộ ông Bhling Văn Dũng' }),
    taxCode: z
      .string()
      .regex(
        /^\d{10}(-?\d{3})?$/,
        'must be 10 digits, or 10 digits, a dash and 3 digits (e.g. 0100047516-001)',
      )
      .optional()
      .meta({
        description: "An organisation's tax code (mã số thuế); its 10th digit is a check digit",
        example: '0100047516',
      }),
    citizenId: z
      .string()
      .regex(/^\d{12}$/, 'must be exactly 12 digits')
      .optional()
      .meta({
        description: 'The citizen ID (số định danh cá nhân, on the CCCD) of the person or head of household',
        example: '049087000123',
      }),
    bankAccount: z.strictObject({
      number: z
        .string()
        .regex(/^[0-9A-Z]{4,19}$/, 'must be 4 to 19 digits or capital letters, without spaces')
        .meta({ example: '3704205123456' }),
      bankCode: z
        .string()
        .regex(/^\d{6}$/, "must be the bank's 6-digit NAPAS BIN (e.g. 970405 for Agribank)")
        .meta({ example: '970405' }),
    }),
    commune,
  })
  .meta({ id: 'NewPayee' });

export const ListPayeesQuery = z.strictObject({
  q: text(200).optional().meta({
    description:
      'A tax code or citizen ID (finds the one payee holding it), or the start of a name, accents and case ignored',
    example: 'dinh thi',
  }),
  limit: queryInt(1, 100).optional(),
  cursor: z.string().max(2048).optional(),
});

export const PayeeView = z
  .object({
    id: z.string(),
    jurisdiction: z.string(),
    kind: z.enum(PAYEE_KINDS),
    name: z.string(),
    taxCode: z.string().optional(),
    citizenId: z.string().optional(),
    bankAccount: z.object({ number: z.string(), bankCode: z.string() }),
    commune: z.string(),
    createdAt: z.string(),
    createdBy: z.string(),
  })
  .meta({ id: 'Payee' });
