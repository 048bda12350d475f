import { describe, expect, it } from 'vitest';
import { AdjustmentBody, DecisionBody, SubmitRequestBody } from '../../shared/ledger/http/schemas.ts';
import { oneLine, quoteForMessage, textProblem } from '../../shared/platform/text-hygiene.ts';
import { IndicatorBody } from '../../shared/targets/http/schemas.ts';

const request = (name: string, purpose = 'Hỗ trợ làm nhà') => ({
  allocationId: 'a1',
  amountVnd: 1,
  payee: { name, kind: 'household' },
  purpose,
});

const issueOf = (result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) => {
  expect(result.success).toBe(false);
  const [issue] = result.error?.issues ?? [];
  return { path: issue?.path.join('.'), message: issue?.message ?? '' };
};

describe('the text fields of a request', () => {
  it('store one form of a name whether it was sent in NFC or NFD', () => {
    const nfc = 'Hộ bà Nguyễn Thị Ơn';
    const nfd = nfc.normalize('NFD');

    const fromNfc = SubmitRequestBody.parse(request(nfc));
    const fromNfd = SubmitRequestBody.parse(request(nfd));

    expect(nfd).not.toBe(nfc);
    expect(fromNfd.payee?.name).toBe(nfc);
    expect(fromNfd).toEqual(fromNfc);
  });

  it('count the length of the NFC form, so a decomposed name is not refused as too long', () => {
    const name = 'ệ'.repeat(200);

    expect(name.normalize('NFD').length).toBe(600);
    expect(SubmitRequestBody.safeParse(request(name.normalize('NFD'))).success).toBe(true);
  });

  it.each([
    ['a tab', 'Nguyễn\tVăn A', 'U+0009'],
    ['a line feed', 'Nguyễn\nVăn A', 'U+000A'],
    ['a carriage return', 'Nguyễn\rVăn A', 'U+000D'],
    ['a NUL', 'Nguyễn\u0000', 'U+0000'],
    ['DEL', 'A\u007f', 'U+007F'],
    ['a C1 control (NEL)', 'A\u0085B', 'U+0085'],
    ['a line separator', 'A\u2028B', 'U+2028'],
  ])('refuse %s in a single-line field, naming it', (_, name, code) => {
    const issue = issueOf(SubmitRequestBody.safeParse(request(name)));

    expect(issue.path).toBe('payee.name');
    expect(issue.message).toContain(code);
    expect(issue.message).toMatch(/keep the text on one line/);
  });

  it.each(['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'])(
    'refuse the bidi control %j anywhere in a text',
    (c) => {
      const issue = issueOf(SubmitRequestBody.safeParse(request('Hộ A', `Trả tiền ${c}gnàn`)));

      expect(issue.path).toBe('purpose');
      expect(issue.message).toMatch(/bidirectional override or isolate/);
    },
  );

  it.each(['\u200B', '\u200C\u200D', '\uFEFF', '\u2060', ' \u200B \u00AD '])(
    'refuse a text of zero-width characters only (%j)',
    (name) => {
      const issue = issueOf(SubmitRequestBody.safeParse(request(name)));

      expect(issue.path).toBe('payee.name');
      // U+FEFF alone is trimmed away as white space, so it reads "must not be empty".
      expect(issue.message).toMatch(/visible characters|must not be empty/);
    },
  );

  it.each(['A\uD800', '\uDC00B', 'x\uDBFFy'])('refuse a lone surrogate (%j)', (name) => {
    const issue = issueOf(SubmitRequestBody.safeParse(request(name)));

    expect(issue.message).toMatch(/unpaired surrogate/);
  });

  it('refuse U+FFFD, the mark of bytes that were not UTF-8', () => {
    const issue = issueOf(SubmitRequestBody.safeParse(request('Nguy\uFFFDn')));

    expect(issue.message).toMatch(/valid UTF-8/);
  });

  it('keep emoji, joined emoji and every Vietnamese letter', () => {
    const name = 'Hợp tác xã Đắk Pring 👨‍👩‍👧 ✅';

    expect(SubmitRequestBody.parse(request(name)).payee?.name).toBe(name);
  });

  it('let a decision comment and an adjustment reason keep line breaks, as LF', () => {
    const comment = DecisionBody.parse({
      decision: 'approve',
      comment: 'Đủ hồ sơ.\r\nĐã kiểm tra\rthực địa.\n',
    });
    const reason = AdjustmentBody.parse({ deltaVnd: 5, reason: 'Dòng 1\nDòng 2' });

    expect(comment.comment).toBe('Đủ hồ sơ.\nĐã kiểm tra\nthực địa.');
    expect(reason.reason).toBe('Dòng 1\nDòng 2');
  });

  it('refuse a tab or a bidi control in a multi-line comment all the same', () => {
    expect(issueOf(DecisionBody.safeParse({ decision: 'reject', comment: 'a\tb' })).message).toMatch(
      /other than a line break/,
    );
    expect(DecisionBody.safeParse({ decision: 'reject', comment: 'a\u202Eb' }).success).toBe(false);
  });

  it('apply to the plan indicators’ names too', () => {
    const body = {
      name: { vi: 'Giảm hộ nghèo', en: 'Fewer\u202E poor' },
      unit: { vi: 'hộ', en: 'households' },
      target: { min: 1 },
      source: 'measurements',
    };

    expect(issueOf(IndicatorBody.safeParse(body)).path).toBe('name.en');
  });
});

describe('textProblem', () => {
  it('accepts clean text and says nothing', () => {
    expect(textProblem('Nguyễn Văn A')).toBeUndefined();
    expect(textProblem('Dòng 1\nDòng 2', { multiline: true })).toBeUndefined();
  });
});

describe('oneLine', () => {
  it('flattens line breaks, tabs and separators to single spaces', () => {
    expect(oneLine('Hộ A\r\nSubject: x\tBcc: y\u2028z\u0085w')).toBe('Hộ A Subject: x Bcc: y z w');
  });
});

describe('quoteForMessage', () => {
  it('shows invisible and bidi characters as escapes, and cuts long names', () => {
    expect(quoteForMessage('a\u202Eb\u200B\n')).toBe('"a\\u{202E}b\\u{200B}\\u{A}"');
    expect(quoteForMessage('x'.repeat(70), 64)).toBe(`"${'x'.repeat(64)}…"`);
  });
});
