import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { parseVnDate } from '../../shared/platform/vn-calendar.ts';
import { createApi } from './api.ts';
import {
  finishCognitoSignIn,
  type Session,
  saveToken,
  sessionOf,
  signOut,
  startCognitoSignIn,
  storedSession,
} from './auth.ts';
import { type AppConfig, loadConfig } from './config.ts';
import { h, mount } from './dom.ts';
import { lang, setLang, t } from './i18n.ts';
import { IMPORT_ROLES } from './import-flow.ts';
import { inlineCodeParts } from './inline-code.ts';
import { loadPlaces } from './places.ts';
import type { Allocation, ViewContext } from './types.ts';
import { renderAlerts } from './views/alerts.ts';
import { renderAllocationDetail } from './views/allocation-detail.ts';
import { renderAllocations } from './views/allocations.ts';
import { failure } from './views/common.ts';
import { renderContracts } from './views/contracts.ts';
import { renderRequestDetail } from './views/dossier.ts';
import { renderImports } from './views/imports.ts';
import { renderLedger } from './views/ledger.ts';
import { AS_OF_KEY, renderOverview } from './views/overview.ts';
import { renderRequests } from './views/requests.ts';
import { renderSuggestions } from './views/suggestions.ts';

const SCREENS = {
  overview: renderOverview,
  allocations: renderAllocations,
  contracts: renderContracts,
  requests: renderRequests,
  ledger: renderLedger,
  alerts: renderAlerts,
  suggestions: renderSuggestions,
  imports: renderImports,
} as const;
type Screen = keyof typeof SCREENS;

/** Screens the navigation offers only to some roles (the others to everyone; the API decides the rest). */
const SCREEN_ROLES: Partial<Record<Screen, readonly string[]>> = {
  imports: [...new Set(Object.values(IMPORT_ROLES).flat())],
};
const offered = (screen: Screen, session: Session) =>
  SCREEN_ROLES[screen]?.some((role) => session.groups.includes(role)) ?? true;

const app = document.getElementById('app') as HTMLElement;
const live = h('div', { id: 'live', class: 'live', role: 'status', 'aria-live': 'polite' });

/** Screens of one record, reached by links (`#/request/<id>`, `#/allocation/<id>`), not by the navigation. */
const DETAILS = {
  request: renderRequestDetail,
  allocation: renderAllocationDetail,
} as const;
type Detail = keyof typeof DETAILS;

const screenOf = (): Screen => {
  // `#/alerts/<id>` (an alert e-mail's link) opens the alerts screen at that alert.
  const name = location.hash.replace(/^#\/?/, '').split('/')[0] ?? '';
  return name in SCREENS ? (name as Screen) : 'overview';
};

/** The record screen the URL hash names, if it names one. */
const detailOf = (): { detail: Detail; id: string } | undefined => {
  const [name = '', ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  if (!(name in DETAILS) || rest.length === 0) return undefined;
  return { detail: name as Detail, id: decodeURIComponent(rest.join('/')) };
};

const YEAR_KEY = 'giai-ngan.fiscalYear';

/** Counts draws: a slow screen that finishes after a newer draw (or a sign-out) is dropped. */
let rendering = 0;

const signInScreen = (config: AppConfig, message?: string) => {
  // Any screen still loading must not draw over the sign-in form.
  rendering++;
  const input = h('textarea', {
    id: 'token',
    name: 'token',
    rows: 4,
    required: true,
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const error = h('p', { id: 'token-error', class: 'error', role: 'alert' }, message ?? '');
  const form = h(
    'form',
    { class: 'card signin', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, t().signIn),
    config.cognito
      ? h(
          'p',
          {},
          h(
            'button',
            {
              type: 'button',
              class: 'primary',
              onclick: () => void startCognitoSignIn(config.cognito as NonNullable<AppConfig['cognito']>),
            },
            t().cognitoSignIn,
          ),
        )
      : undefined,
    h('label', { for: 'token' }, t().tokenLabel),
    input,
    h(
      'p',
      { class: 'muted', id: 'token-help' },
      inlineCodeParts(t().tokenHelp).map((p) => (p.code ? h('code', {}, p.text) : p.text)),
    ),
    error,
    h('button', { type: 'submit', class: 'primary' }, t().signIn),
  );
  input.setAttribute('aria-describedby', 'token-help token-error');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!sessionOf(input.value)) {
      error.textContent = t().tokenInvalid;
      input.focus();
      return;
    }
    saveToken(input.value);
    void start(config);
  });
  mount(app, header(config, undefined), h('main', { id: 'main', tabindex: -1 }, form), live);
  input.focus();
};

const header = (config: AppConfig, session: Session | undefined, years: number[] = [], year?: number) => {
  // A record's screen is reached by a link, not by the navigation: no entry of it is current.
  const current = detailOf() ? undefined : screenOf();
  const langButton = h(
    'button',
    { type: 'button', 'aria-label': t().languageLabel, lang: lang() === 'vi' ? 'en' : 'vi' },
    t().language,
  );
  langButton.addEventListener('click', () => {
    setLang(lang() === 'vi' ? 'en' : 'vi');
    void start(config);
  });
  let yearSelect: HTMLElement | undefined;
  if (session && year !== undefined) {
    const select = h(
      'select',
      { id: 'fiscal-year' },
      ...years.map((y) => h('option', { value: y, selected: y === year }, String(y))),
    );
    select.addEventListener('change', () => {
      sessionStorage.setItem(YEAR_KEY, select.value);
      void start(config);
    });
    yearSelect = h('label', { for: 'fiscal-year', class: 'year' }, t().fiscalYear, select);
  }
  const out = h('button', { type: 'button' }, t().signOut);
  out.addEventListener('click', () => {
    signOut();
    signInScreen(config);
  });
  return h(
    'header',
    { class: 'top' },
    h(
      'a',
      {
        class: 'skip',
        href: '#main',
        onclick: (e: Event) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        },
      },
      t().skip,
    ),
    h('div', { class: 'brand' }, t().appTitle),
    session
      ? h(
          'nav',
          { 'aria-label': t().nav },
          h(
            'ul',
            {},
            ...(Object.keys(SCREENS) as Screen[])
              .filter((s) => offered(s, session))
              .map((s) =>
                h(
                  'li',
                  {},
                  h('a', { href: `#/${s}`, 'aria-current': s === current ? 'page' : undefined }, t()[s]),
                ),
              ),
          ),
        )
      : undefined,
    h(
      'div',
      { class: 'tools' },
      yearSelect,
      langButton,
      session
        ? h('span', { class: 'who' }, `${t().signedInAs} ${session.sub} (${session.groups.join(', ')})`)
        : undefined,
      session ? out : undefined,
    ),
  );
};

/** Signs in if needed, then draws the screen named by the URL hash. */
const start = async (config: AppConfig) => {
  document.documentElement.lang = lang();
  document.title = t().appTitle;
  const session = storedSession();
  if (!session) return signInScreen(config);
  const run = ++rendering;
  // This draw's own token, and only this draw's refusal signs out: a draw outlived by a sign-out (its
  // later reads would go without a token) or by another person's sign-in must neither answer 401 into
  // the new sign-in screen nor borrow the new token.
  const api = createApi(
    config.apiUrl,
    () => session.token,
    () => {
      if (run !== rendering) return;
      signOut();
      signInScreen(config, t().tokenInvalid);
    },
  );
  const main = h('main', { id: 'main', tabindex: -1 }, h('p', {}, t().loading));
  let years: number[] = [];
  try {
    const { items } = await api.get<{ items: Allocation[] }>('/allocations');
    years = [...new Set(items.map((a) => a.fiscalYear))].sort((a, b) => b - a);
  } catch {
    // an empty list of years: the current one is offered
  }
  const thisYear = Number(new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 4));
  if (years.length === 0) years = [thisYear];
  const saved = Number(sessionStorage.getItem(YEAR_KEY));
  const fiscalYear = years.includes(saved)
    ? saved
    : (years.find((y) => y <= thisYear) ?? years[0] ?? thisYear);
  await loadPlaces(api, fiscalYear);
  // A newer draw (or a sign-out) took over while the years and places were read.
  if (run !== rendering) return;
  mount(app, header(config, session, years, fiscalYear), main, live);
  const ctx: ViewContext = {
    api,
    session,
    fiscalYear,
    announce: (message) => {
      live.textContent = message;
    },
    refresh: () => void start(config),
  };
  try {
    const holder = h('div', {});
    const record = detailOf();
    if (record) await DETAILS[record.detail](holder, ctx, record.id);
    else await SCREENS[screenOf()](holder, ctx);
    if (run === rendering) mount(main, holder);
  } catch (error) {
    if (run === rendering) mount(main, failure(error));
  }
};

/**
 * `?fiscalYear=2024&asOf=2024-09-30` in the address (the demo link \`npm start\` prints) preset the
 * year and the overview's date once; they are then taken out of the address.
 */
const takeAddressPresets = () => {
  const params = new URLSearchParams(location.search);
  const year = params.get('fiscalYear') ?? '';
  const asOf = parseVnDate(params.get('asOf') ?? '');
  if (/^\d{4}$/.test(year)) sessionStorage.setItem(YEAR_KEY, year);
  if (asOf) sessionStorage.setItem(AS_OF_KEY, asOf);
  if (!params.has('fiscalYear') && !params.has('asOf')) return;
  params.delete('fiscalYear');
  params.delete('asOf');
  const rest = params.toString();
  history.replaceState(null, '', `${location.pathname}${rest ? `?${rest}` : ''}${location.hash}`);
};

const boot = async () => {
  takeAddressPresets();
  const config = await loadConfig();
  if (config.cognito) {
    try {
      await finishCognitoSignIn(config.cognito);
    } catch (error) {
      return signInScreen(config, String(error));
    }
  }
  window.addEventListener('hashchange', () => {
    void start(config).then(() => document.getElementById('main')?.focus());
  });
  await start(config);
};

void boot();
