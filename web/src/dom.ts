import { parseVnDate } from '../../shared/platform/vn-calendar.ts';
import { formatDate } from './format.ts';
import { t } from './i18n.ts';

/**
 * A tiny element builder: attributes (`on*` become listeners, `style` an object of CSS properties),
 * then children (strings become text).
 */
type Child = Node | string | number | false | null | undefined;
type Style = Partial<Record<'width' | 'left', string>>;
type Attrs = Record<string, string | number | boolean | EventListener | Style | undefined | null>;

export const h = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] => {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'style') {
      // Through the CSSOM: the Content-Security-Policy refuses inline style attributes.
      if (typeof value !== 'object') throw new Error('h(): give style as an object of CSS properties');
      Object.assign(el.style, value);
    } else if (value === true) {
      el.setAttribute(name, '');
    } else {
      el.setAttribute(name, String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(typeof child === 'number' ? String(child) : child);
  }
  return el;
};

/**
 * A date field that shows and takes dd/mm/yyyy whatever the browser's locale (a native date input
 * follows the locale: mm/dd/yyyy in an English browser). Read it with {@link dateOf}.
 */
export const dateField = (id: string, iso = '') =>
  h('input', {
    id,
    name: id,
    type: 'text',
    inputmode: 'numeric',
    autocomplete: 'off',
    placeholder: 'dd/mm/yyyy',
    pattern: '\\d{1,2}/\\d{1,2}/\\d{4}',
    size: 10,
    value: iso ? formatDate(iso) : '',
  });

/** A date field's value as YYYY-MM-DD ('' when empty); marks the field invalid and throws when it is not a date. */
export const dateOf = (input: HTMLInputElement): string => {
  const iso = parseVnDate(input.value);
  input.setCustomValidity(iso === undefined ? t().invalidDate : '');
  if (iso === undefined) {
    input.reportValidity();
    throw new Error(`${t().invalidDate}: "${input.value}"`);
  }
  return iso;
};

/** Replaces an element's content. */
export const mount = (parent: Element, ...children: (Child | Child[])[]) => {
  parent.replaceChildren();
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    parent.append(typeof child === 'number' ? String(child) : child);
  }
};

/** How a table fits a phone: its rows as cards (label beside each value), or scrolling sideways with a cue. */
export interface TableOptions {
  /** `cards` (default): a list of records; `scroll`: a grid of figures read across (wrap it in {@link scrollCued}). */
  phone?: 'cards' | 'scroll';
}

/**
 * A table in a scrolling wrapper, with a caption and header cells scoped to their columns. Each cell
 * carries its column's name (`data-label`), which a phone shows beside the value when the rows become
 * cards (styles.css, `table.cards`).
 */
export const table = (
  caption: string,
  headers: string[],
  rows: Child[][],
  foot?: Child[],
  options: TableOptions = {},
) => {
  const cell = (c: Child, i: number) => h('td', { 'data-label': headers[i] ?? '' }, c);
  return h(
    'div',
    { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': caption },
    h(
      'table',
      { class: (options.phone ?? 'cards') === 'cards' ? 'cards' : undefined },
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, ...headers.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, ...rows.map((cells) => h('tr', {}, ...cells.map(cell)))),
      foot ? h('tfoot', {}, h('tr', {}, ...foot.map(cell))) : undefined,
    ),
  );
};

/**
 * A wide table's wrapper (from {@link table}) with a visible cue while it is wider than the screen
 * (a phone): a hint above it and a shadow on the edge that hides more columns, gone at the end.
 */
export const scrollCued = (wrap: HTMLElement) => {
  const hint = h('p', { class: 'scroll-hint', 'aria-hidden': 'true' }, t().scrollHint);
  const box = h('div', { class: 'scroll-cue' }, hint, wrap);
  const update = () => {
    box.toggleAttribute('data-overflows', wrap.scrollWidth > wrap.clientWidth + 1);
    box.toggleAttribute('data-at-end', wrap.scrollLeft + wrap.clientWidth >= wrap.scrollWidth - 1);
  };
  new ResizeObserver(update).observe(wrap);
  wrap.addEventListener('scroll', update, { passive: true });
  return box;
};

/** True on a phone-sized screen (styles.css's breakpoint): lists then load fewer records at a time. */
export const onPhone = (): boolean => globalThis.matchMedia?.('(max-width: 640px)').matches ?? false;
