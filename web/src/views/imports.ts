import { h, mount, scrollCued, table } from '../dom.ts';
import { saveBlob } from '../download.ts';
import { formatNumber } from '../format.ts';
import { lang, t } from '../i18n.ts';
import {
  type CellError,
  cellErrorsOf,
  type ImportKind,
  type ImportOutcome,
  importKindsFor,
  importPath,
  MAX_IMPORT_BYTES,
  mediaTypeOf,
  outcomeOf,
  pollImport,
  templatePath,
  XLSX_TYPE,
} from '../import-flow.ts';
import type { ViewContext } from '../types.ts';
import { failure } from './common.ts';

const fill = (text: string, values: Record<string, string | number>) =>
  Object.entries(values).reduce(
    (out, [k, v]) => out.replaceAll(`{${k}}`, typeof v === 'number' ? formatNumber(v) : v),
    text,
  );

const kindName = (kind: ImportKind) => t().importKinds[kind] ?? kind;

/** The refused file's cells to fix: Trang tính, Dòng, Cột, Lỗi (the API's message, which says what to fix). */
const errorsTable = (errors: readonly CellError[]) =>
  h(
    'div',
    { class: 'import-errors' },
    h('p', { class: 'error', role: 'alert' }, fill(t().importInvalid, { n: errors.length })),
    scrollCued(
      table(
        t().importErrorsTitle,
        [t().sheet, t().row, t().column, t().problem],
        errors.map((e) => [e.sheet, String(e.row), e.column, h('span', { 'data-code': e.code }, e.message)]),
        undefined,
        { phone: 'scroll' },
      ),
    ),
  );

/** Why an import stopped: in Vietnamese the code's words (a refusal's message is the API's English). */
const failureWords = (f: ImportOutcome['failure']): string => {
  if (f === undefined) return '';
  const words = lang() === 'vi' && f.code !== undefined ? t().errors[f.code] : undefined;
  return words ? `${words} (${t().errorCode}: ${f.code})` : f.message;
};

/** What an import came to, in words (and a progress bar while a job runs). */
const outcomeView = (o: ImportOutcome) => {
  const { rows, created, replayed } = o.counts;
  switch (o.state) {
    case 'checked':
      return h('p', { class: 'ok', role: 'status' }, fill(t().importChecked, { rows }));
    case 'applied':
      return h('p', { class: 'ok', role: 'status' }, fill(t().importApplied, { rows, created, replayed }));
    case 'failed': {
      const f = o.failure;
      const where = f?.row !== undefined ? `${f.sheet ?? ''} ${t().row.toLowerCase()} ${f.row}`.trim() : '—';
      return h(
        'p',
        { class: 'error', role: 'alert' },
        fill(t().importFailed, { where, message: failureWords(f) }),
      );
    }
    default: {
      const done = o.progress?.done ?? 0;
      const total = o.progress?.total ?? o.counts.rows;
      return h(
        'div',
        {},
        h('label', { for: 'import-progress' }, t().importProgress),
        h('progress', { id: 'import-progress', max: Math.max(total, 1), value: done }),
        h('p', { role: 'status' }, fill(t().importRunning, { done, total })),
      );
    }
  }
};

/**
 * `#/imports`: a planner imports a year's plan, finance a batch of payment requests, from the
 * template's XLSX (or CSV). "Kiểm tra" checks only (dryRun); "Nhập" imports; a refused file's bad
 * cells are listed in a table; a large file's job is followed until it is applied.
 */
export const renderImports = async (root: HTMLElement, ctx: ViewContext) => {
  const kinds = importKindsFor(ctx.session.groups);
  if (kinds.length === 0) {
    mount(root, h('h1', {}, t().importsTitle), h('p', { class: 'muted' }, t().noImportRole));
    return;
  }
  const kind = h(
    'select',
    { id: 'import-kind', name: 'kind' },
    ...kinds.map((k) => h('option', { value: k }, kindName(k))),
  );
  const file = h('input', {
    id: 'import-file',
    name: 'file',
    type: 'file',
    accept: `.xlsx,.csv,${XLSX_TYPE},text/csv`,
    required: true,
  });
  // Its messages are status or alert regions themselves: announced once, where they are shown.
  const result = h('div', { id: 'import-result' });
  const buttons: HTMLButtonElement[] = [];

  const send = async (dryRun: boolean) => {
    const chosen = file.files?.[0];
    if (!chosen) {
      mount(result, h('p', { class: 'error', role: 'alert' }, t().noFileChosen));
      file.focus();
      return;
    }
    if (chosen.size > MAX_IMPORT_BYTES) {
      const size = `${formatNumber(Math.round((chosen.size / 1024 / 1024) * 10) / 10)} MB`;
      mount(result, h('p', { class: 'error', role: 'alert' }, fill(t().fileTooLarge, { size })));
      return;
    }
    for (const b of buttons) b.disabled = true;
    mount(result, h('p', { role: 'status' }, fill(t().importSending, { file: chosen.name })));
    try {
      const answer = await ctx.api.upload<unknown>(
        importPath(kind.value as ImportKind, dryRun),
        chosen,
        mediaTypeOf(chosen.name),
        chosen.name,
      );
      let outcome = outcomeOf(answer.status, answer.body);
      mount(result, outcomeView(outcome));
      if (!['checked', 'applied', 'failed'].includes(outcome.state) && outcome.id) {
        const id = outcome.id;
        outcome = await pollImport(
          (importId) => ctx.api.get(`/imports/${encodeURIComponent(importId)}`),
          id,
          (o) => mount(result, outcomeView(o)),
        );
        if (!['applied', 'failed'].includes(outcome.state)) {
          mount(
            result,
            outcomeView(outcome),
            h('p', { class: 'muted' }, fill(t().importStillRunning, { id })),
          );
        }
      }
    } catch (error) {
      const errors = cellErrorsOf(error);
      mount(result, errors ? errorsTable(errors) : failure(error));
    } finally {
      for (const b of buttons) b.disabled = false;
    }
  };

  const check = h('button', { type: 'button', onclick: () => void send(true) }, t().checkFile);
  const apply = h('button', { type: 'submit', class: 'primary' }, t().importButton);
  buttons.push(check, apply);
  const form = h(
    'form',
    { class: 'filters import-form', 'aria-labelledby': 'imports-title' },
    h('label', { for: 'import-kind' }, t().importKind, kind),
    h('label', { for: 'import-file' }, t().importFile, file),
    check,
    apply,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void send(false);
  });

  const templates = h(
    'section',
    { class: 'card', 'aria-labelledby': 'templates-title' },
    h('h2', { id: 'templates-title' }, t().templates),
    h(
      'ul',
      { class: 'downloads' },
      ...kinds.map((k) => {
        const fileName = `${k}.xlsx`;
        const button = h('button', { type: 'button' }, fill(t().templateFor, { kind: kindName(k) }));
        button.addEventListener('click', async () => {
          try {
            saveBlob(await ctx.api.blob(templatePath(k), XLSX_TYPE), fileName);
          } catch (error) {
            mount(result, failure(error));
          }
        });
        return h('li', {}, button);
      }),
    ),
  );

  mount(
    root,
    h('h1', { id: 'imports-title' }, t().importsTitle),
    h('p', { class: 'muted' }, t().importsHelp),
    templates,
    form,
    result,
  );
};
