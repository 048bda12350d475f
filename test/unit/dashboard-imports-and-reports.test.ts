import { describe, expect, it } from 'vitest';
import { IMPORT_ROLES as API_IMPORT_ROLES } from '../../shared/imports/app/start-import.ts';
import { ApiError } from '../../web/src/api.ts';
import {
  cellErrorsOf,
  IMPORT_ROLES,
  type ImportOutcome,
  importKindsFor,
  importPath,
  mediaTypeOf,
  outcomeOf,
  pollImport,
  templatePath,
  XLSX_TYPE,
} from '../../web/src/import-flow.ts';
import { reportFileName, reportPath } from '../../web/src/report-files.ts';

describe("the import screen's logic", () => {
  it('offers planners the plan, finance the payment requests, both to someone in both groups, and none to others', () => {
    expect(importKindsFor(['planner'])).toEqual(['allocations']);
    expect(importKindsFor(['finance'])).toEqual(['requests']);
    expect(importKindsFor(['finance', 'planner'])).toEqual(['allocations', 'requests']);
    expect(importKindsFor(['auditor', 'approver-district'])).toEqual([]);
  });

  it('offers each kind to exactly the roles the API lets import it', () => {
    expect(IMPORT_ROLES).toEqual(API_IMPORT_ROLES);
  });

  it('names the routes: a check is a dry run, the template is the kind as XLSX', () => {
    expect(importPath('allocations', true)).toBe('/imports?kind=allocations&dryRun=true');
    expect(importPath('requests', false)).toBe('/imports?kind=requests&dryRun=false');
    expect(templatePath('requests')).toBe('/imports/templates/requests.xlsx');
  });

  it('sends a .csv file as text/csv whatever the browser calls it, and anything else as XLSX', () => {
    expect(mediaTypeOf('ke-hoach-2024.CSV')).toBe('text/csv');
    expect(mediaTypeOf('ke-hoach 2024.xlsx')).toBe(XLSX_TYPE);
    expect(mediaTypeOf('no-extension')).toBe(XLSX_TYPE);
  });

  it("lists a refused file's bad cells by sheet, row and column (Z before AA), dropping malformed ones", () => {
    const cell = (row: number, column: string) => ({
      sheet: 'Kế hoạch',
      row,
      column,
      code: 'invalid_amount',
      message: 'Số tiền phải là số nguyên dương',
    });
    const error = new ApiError(422, 'import_invalid', 'Tệp có lỗi', {
      errors: [cell(5, 'AA'), cell(3, 'C'), cell(5, 'Z'), { row: 'x' }],
    });
    expect(cellErrorsOf(error)?.map((e) => `${e.row}${e.column}`)).toEqual(['3C', '5Z', '5AA']);
  });

  it('has no cell table for other errors: their message says what to fix', () => {
    expect(cellErrorsOf(new ApiError(422, 'too_many_rows', 'Tệp có hơn 5.000 dòng'))).toBeUndefined();
    expect(cellErrorsOf(new ApiError(422, 'import_invalid', 'x', { errors: 'none' }))).toBeUndefined();
    expect(cellErrorsOf(new Error('network'))).toBeUndefined();
  });

  it("reads a dry run, an applied import and a queued job from the API's answers", () => {
    const counts = { rows: 12, created: 0, replayed: 0 };
    expect(outcomeOf(200, { dryRun: true, kind: 'allocations', counts }).state).toBe('checked');
    const applied = outcomeOf(201, {
      id: 'imp-1',
      status: 'applied',
      counts: { rows: 12, created: 10, replayed: 2 },
      progress: { done: 12, total: 12 },
    });
    expect(applied).toEqual({
      state: 'applied',
      id: 'imp-1',
      counts: { rows: 12, created: 10, replayed: 2 },
      progress: { done: 12, total: 12 },
    });
    const queued = outcomeOf(202, { import: { id: 'imp-2', status: 'queued', counts: { rows: 250 } } });
    expect(queued).toMatchObject({ state: 'queued', id: 'imp-2', counts: { rows: 250, created: 0 } });
    expect(outcomeOf(202, {}).state).toBe('queued');
    expect(
      outcomeOf(200, {
        status: 'failed',
        failure: { sheet: 'Kế hoạch', row: 7, code: 'x', message: 'Hết vốn' },
      }),
    ).toMatchObject({ state: 'failed', failure: { sheet: 'Kế hoạch', row: 7, message: 'Hết vốn' } });
  });

  it('polls a job until it is applied, reporting each step, without waiting for real', async () => {
    const answers = [
      { id: 'j', status: 'queued', progress: { done: 0, total: 250 } },
      { id: 'j', status: 'applying', progress: { done: 100, total: 250 } },
      {
        id: 'j',
        status: 'applied',
        counts: { rows: 250, created: 250, replayed: 0 },
        progress: { done: 250, total: 250 },
      },
    ];
    const seen: ImportOutcome[] = [];
    const waits: number[] = [];
    const final = await pollImport(
      async (id) => {
        expect(id).toBe('j');
        return answers.shift();
      },
      'j',
      (o) => seen.push(o),
      { intervalMs: 500, sleep: async (ms) => void waits.push(ms) },
    );
    expect(final).toMatchObject({ state: 'applied', counts: { created: 250 } });
    expect(seen.map((o) => o.progress?.done)).toEqual([0, 100, 250]);
    expect(waits).toEqual([500, 500, 500]);
  });

  it('gives up polling after maxPolls with the last state, still running', async () => {
    const final = await pollImport(
      async () => ({ id: 'j', status: 'applying' }),
      'j',
      () => {},
      {
        maxPolls: 3,
        sleep: async () => {},
      },
    );
    expect(final.state).toBe('applying');
  });
});

describe('the report files of the overview', () => {
  it("asks for the screen's year and as-of day, and leaves the day out when none is set", () => {
    expect(reportPath('xlsx', 2024, '2024-09-30')).toBe(
      '/reports/ket-qua-giai-ngan.xlsx?fiscalYear=2024&asOf=2024-09-30',
    );
    expect(reportPath('pdf', 2025)).toBe('/reports/ket-qua-giai-ngan.pdf?fiscalYear=2025');
  });

  it('saves the file under the report, year and day', () => {
    expect(reportFileName('pdf', 2024, '2024-09-30')).toBe('ket-qua-giai-ngan-2024-2024-09-30.pdf');
    expect(reportFileName('xlsx', 2024)).toBe('ket-qua-giai-ngan-2024.xlsx');
  });
});
