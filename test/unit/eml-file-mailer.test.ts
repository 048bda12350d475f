import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmlFileMailer } from '../../shared/platform/mail/eml-file-mailer.ts';

const folders: string[] = [];
afterEach(() => {
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});

const mail = {
  from: 'giai-ngan@example.gov.vn',
  to: 'thanhtra@danang.gov.vn',
  subject: '[Cảnh báo giải ngân] Xã Hùng Sơn: 23% / kế hoạch 60%',
  text: 'Nội dung',
  html: '<p>Nội dung</p>',
  messageId: 'm1@giai-ngan',
  date: new Date('2026-09-30T01:00:00Z'),
  alertId: '2026-09-30-lag-critical-abc',
};

describe('the local .eml mailbox', () => {
  it('writes one whole file per send, a second send of the same alert beside the first, and nothing else', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'eml-'));
    folders.push(folder);
    const mailer = new EmlFileMailer(folder);

    await Promise.all([mailer.send(mail), mailer.send({ ...mail, messageId: 'm2@giai-ngan' })]);

    const files = readdirSync(folder).sort();
    // No temporary file is left behind: a reader listing the folder sees finished e-mails only.
    expect(files).toEqual([
      '20260930T010000Z_2026-09-30-lag-critical-abc_thanhtra_danang.gov.vn-1.eml',
      '20260930T010000Z_2026-09-30-lag-critical-abc_thanhtra_danang.gov.vn.eml',
    ]);
    for (const f of files) expect(readFileSync(join(folder, f), 'utf8')).toMatch(/\r\n\r\n[\s\S]+$/);
  });
});
