/**
 * The guanxi demo dashboard: reads the dashboard endpoints and draws the customer base —
 * segments, value tiers, lifetime value, P(alive), NPS — one customer's merged profile
 * and timeline, and the consent log with its chain verification.
 */
import { formatCount, formatDate, formatDateTime, formatMoney, formatWholeMoney, html, replaceChildren, required, type Child } from '../../shared/dom';
import {
  compact,
  consentBars,
  histogram,
  lifecycleDonut,
  npsChart,
  paretoChart,
  probabilityMeter,
  rfmHeatMap,
  segmentBars,
  timelineStrip,
  touchpointStyle,
} from './charts';
import type { ConsentLog, ConsentRecordView, CustomerDetail, CustomerList, CustomerRow, DashboardOverview, TouchpointView } from './views-model';

async function read<T>(path: string): Promise<T> {
  const response = await fetch(`/dashboard/api/${path}`, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

function card(title: string, subtitle: string | null, ...body: Child[]): HTMLElement {
  return html('section', { class: 'card' }, html('h2', { class: 'card__title' }, title), subtitle ? html('p', { class: 'card__subtitle' }, subtitle) : null, ...body);
}

function kpi(label: string, value: string, note: string, id: string): HTMLElement {
  return html('div', { class: 'kpi', id }, html('p', { class: 'kpi__label' }, label), html('p', { class: 'kpi__value' }, value), html('p', { class: 'kpi__note' }, note));
}

function tierBadge(tier: string): HTMLElement {
  return html('span', { class: `tier tier--${tier.toLowerCase()}`, title: `Value tier ${tier}` }, tier);
}

function segmentChip(row: { segment: string; segmentLabel: string }): HTMLElement {
  return html('span', { class: 'segment-chip', 'data-segment': row.segment }, html('span', { class: `dot dot--${cssName(row.segment)}` }), row.segmentLabel);
}

function cssName(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

function percent(value: number | null): string {
  return value === null ? '–' : `${Math.round(value * 100)}%`;
}

function customerTable(rows: readonly CustomerRow[], caption: string): HTMLElement {
  return html(
    'table',
    { class: 'data-table customers-table' },
    html('caption', { class: 'visually-hidden' }, caption),
    html(
      'thead',
      {},
      html(
        'tr',
        {},
        html('th', { scope: 'col' }, 'Customer'),
        html('th', { scope: 'col' }, 'Tier'),
        html('th', { scope: 'col' }, 'Segment'),
        html('th', { scope: 'col' }, 'RFM'),
        html('th', { scope: 'col' }, 'Lifecycle'),
        html('th', { scope: 'col', class: 'numeric' }, 'Orders'),
        html('th', { scope: 'col', class: 'numeric' }, 'Revenue'),
        html('th', { scope: 'col' }, 'P(alive)'),
        html('th', { scope: 'col', class: 'numeric' }, 'CLV'),
      ),
    ),
    html(
      'tbody',
      {},
      rows.map((row) =>
        html(
          'tr',
          { 'data-customer': row.id },
          html('td', {}, html('a', { href: `#/customers/${encodeURIComponent(row.id)}` }, row.name || row.email || row.id), row.origin === 'storefront' ? html('span', { class: 'new-chip' }, 'storefront') : null),
          html('td', {}, tierBadge(row.tier)),
          html('td', {}, segmentChip(row)),
          html('td', { class: 'mono' }, row.rfm),
          html('td', {}, html('span', { class: `lifecycle lifecycle--${row.lifecycle}` }, row.lifecycle)),
          html('td', { class: 'numeric' }, String(row.orders)),
          html('td', { class: 'numeric' }, formatMoney(row.revenue)),
          html('td', { class: 'meter-cell' }, probabilityMeter(row.pAlive), html('span', {}, percent(row.pAlive))),
          html('td', { class: 'numeric' }, row.clv === null ? '–' : formatMoney(row.clv)),
        ),
      ),
    ),
  );
}

function touchpointList(touchpoints: readonly (TouchpointView & { customerName?: string; customerId?: string })[]): HTMLElement {
  return html(
    'ol',
    { class: 'timeline' },
    touchpoints.map((touchpoint) => {
      const style = touchpointStyle(touchpoint.type);
      return html(
        'li',
        { class: `timeline__item timeline__item--${cssName(touchpoint.type)}`, 'data-type': touchpoint.type },
        html('span', { class: `timeline__icon icon--${cssName(touchpoint.type)}`, 'aria-hidden': 'true' }, style.icon),
        html(
          'div',
          { class: 'timeline__body' },
          html(
            'p',
            { class: 'timeline__title' },
            touchpoint.customerId ? [html('a', { href: `#/customers/${encodeURIComponent(touchpoint.customerId)}` }, touchpoint.customerName ?? touchpoint.customerId), ' · '] : null,
            touchpoint.title,
          ),
          touchpoint.detail ? html('p', { class: 'timeline__detail' }, touchpoint.detail) : null,
          html('p', { class: 'timeline__meta' }, `${formatDateTime(touchpoint.at)} · ${touchpoint.channel} · ${touchpoint.type}`),
        ),
      );
    }),
  );
}

function verificationBadge(verification: { valid: boolean; records: number; brokenAt?: number; reason?: string }): HTMLElement {
  return verification.valid
    ? html('p', { class: 'chain chain--valid', id: 'consent-chain' }, html('span', { class: 'chain__icon', 'aria-hidden': 'true' }, '✓'), html('span', {}, html('strong', {}, 'Chain verified'), ` — ${verification.records} records, every hash links to the one before`))
    : html(
        'p',
        { class: 'chain chain--broken', id: 'consent-chain' },
        html('span', { class: 'chain__icon', 'aria-hidden': 'true' }, '✗'),
        html('span', {}, html('strong', {}, 'Chain broken'), ` at record ${verification.brokenAt ?? '?'}${verification.reason ? `: ${verification.reason}` : ''}`),
      );
}

async function renderOverview(main: HTMLElement): Promise<void> {
  const overview = await read<DashboardOverview>('overview');
  required('#as-of').textContent = `${overview.historySource} histories · as of ${formatDate(overview.asOf)}`;
  const totalCustomers = overview.valueTiers.reduce((sum, tier) => sum + tier.customers, 0) || 1;
  const totalRevenue = overview.valueTiers.reduce((sum, tier) => sum + tier.revenue, 0) || 1;
  const tierShares = overview.valueTiers.map((tier) => ({ tier: tier.tier, customerShare: tier.customers / totalCustomers }));
  const tierA = overview.valueTiers.find((tier) => tier.tier === 'A');
  const modelName = overview.model ? (({ 'bg-nbd': 'BG/NBD', 'mbg-nbd': 'MBG/NBD', 'pareto-nbd': 'Pareto/NBD' }) as Record<string, string>)[overview.model.name] ?? overview.model.name : '';
  replaceChildren(
    main,
    html(
      'div',
      { class: 'kpis' },
      kpi('Customers', formatCount(overview.customers), `${formatCount(overview.orders)} orders`, 'kpi-customers'),
      kpi('Revenue', formatWholeMoney(overview.revenue), tierA ? `${Math.round((tierA.customers / totalCustomers) * 100)}% of customers bring ${Math.round((tierA.revenue / totalRevenue) * 100)}%` : '', 'kpi-revenue'),
      kpi('Active customers', percent(overview.meanPAlive), overview.model ? `mean P(alive), ${modelName}` : 'no model fitted yet', 'kpi-alive'),
      kpi('Expected value', overview.totalClv === null ? '–' : formatWholeMoney(overview.totalClv), overview.model ? `CLV over ${overview.model.horizonMonths} months` : '', 'kpi-clv'),
      kpi('NPS', overview.nps.score === null ? '–' : `${overview.nps.score > 0 ? '+' : ''}${Math.round(overview.nps.score)}`, `${overview.nps.responses} answers`, 'kpi-nps'),
    ),
    html(
      'div',
      { class: 'grid grid--rfm' },
      card('RFM segments', 'Customers by recency and frequency score (quintiles). Lines separate the segments.', html('div', { class: 'chart-box', id: 'rfm-heat-map' }, rfmHeatMap(overview.rfmGrid))),
      html(
        'div',
        { class: 'stack' },
        card('Customers per segment', null, html('div', { class: 'chart-box', id: 'segment-bars' }, segmentBars(overview.segments))),
        card('Lifecycle', 'Dormant: no purchase for a year. At risk: overdue against their own rhythm.', html('div', { class: 'chart-box', id: 'lifecycle' }, lifecycleDonut(overview.lifecycle))),
      ),
    ),
    html(
      'div',
      { class: 'grid grid--three' },
      card(
        'Value tiers (ABC)',
        tierA ? `Tier A: ${Math.round((tierA.customers / totalCustomers) * 100)}% of customers, ${Math.round((tierA.revenue / totalRevenue) * 100)}% of revenue` : null,
        html('div', { class: 'chart-box', id: 'pareto' }, paretoChart(overview.paretoCurve, tierShares)),
        html('ul', { class: 'legend' }, overview.valueTiers.map((tier) => html('li', {}, tierBadge(tier.tier), ` ${compact(tier.customers)} customers · ${formatMoney(tier.revenue)}`))),
      ),
      card(
        'Customer lifetime value',
        overview.model ? `${modelName} × Gamma-Gamma, next ${overview.model.horizonMonths} months, ${Math.round(overview.model.discountRate * 100)}% yearly discount` : 'Appears when a model is fitted',
        !overview.model ? html('p', { class: 'placeholder' }, 'No purchase model fitted yet.') : html(
          'div',
          { class: 'chart-box', id: 'clv-histogram' },
          histogram(overview.clvHistogram, {
            title: 'CLV distribution',
            description: 'Number of customers per band of expected lifetime value.',
            colour: '#b91c1c',
            label: (bin) => `$${compact(bin.from)}`,
            xTitle: 'Expected value of the next 12 months (last bar: and above)',
          }),
        ),
      ),
      card(
        'P(alive)',
        'Probability that a customer still buys, from the purchase model',
        !overview.model ? html('p', { class: 'placeholder' }, 'No purchase model fitted yet.') : html(
          'div',
          { class: 'chart-box', id: 'p-alive-histogram' },
          histogram(overview.pAliveHistogram, {
            title: 'P(alive) distribution',
            description: 'Number of customers per band of probability of still being active.',
            colour: '#0f766e',
            label: (bin) => `${Math.round(bin.from * 100)}%`,
            xTitle: 'Probability of being active',
          }),
        ),
      ),
    ),
    html(
      'div',
      { class: 'grid grid--three' },
      card('Satisfaction', 'Net Promoter Score from the storefront survey', html('div', { class: 'chart-box', id: 'nps' }, npsChart(overview.nps))),
      card('Latest touchpoints', null, overview.recentTouchpoints.length > 0 ? touchpointList(overview.recentTouchpoints) : html('p', { class: 'muted' }, 'No touchpoints yet: visit the storefront.')),
      card(
        'Consent',
        'Append-only, hash-chained proof records',
        verificationBadge(overview.consent),
        Object.keys(overview.consent.byPurpose).length > 0
          ? html('div', { class: 'chart-box', id: 'consent-bars' }, consentBars(overview.consent.byPurpose))
          : html('p', { class: 'muted' }, 'No choices recorded yet.'),
        html('p', {}, html('a', { href: '#/consent' }, 'Open the consent log →')),
      ),
    ),
    card('Most valuable customers', 'By expected lifetime value', customerTable(overview.topCustomers, 'Most valuable customers'), html('p', {}, html('a', { href: '#/customers' }, 'All customers →'))),
    overview.model
      ? html(
          'p',
          { class: 'footnote' },
          `${modelName} and Gamma-Gamma fitted ${overview.model.fittedBy === 'dashboard' ? 'by the dashboard with guanxi/scoring' : 'by the CRM server'} on ${compact(overview.model.customers)} customers (time unit: ${overview.model.timeUnit}): `,
          Object.entries(overview.model.parameters)
            .map(([name, value]) => `${name} = ${value.toPrecision(3)}`)
            .join(', '),
          `, log-likelihood ${overview.model.logLikelihood.toFixed(1)}.`,
        )
      : null,
  );
}

async function renderCustomers(main: HTMLElement, query: URLSearchParams): Promise<void> {
  const search = query.get('q') ?? '';
  const list = await read<CustomerList>(`customers?limit=100&q=${encodeURIComponent(search)}`);
  const input = html('input', { type: 'search', id: 'customer-search', value: search, placeholder: 'Name, email or id', 'aria-label': 'Search customers' });
  const form = html('form', { class: 'search', role: 'search' }, input, html('button', { type: 'submit', class: 'button' }, 'Search'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/customers?q=${encodeURIComponent(input.value.trim())}`;
  });
  replaceChildren(main, html('div', { class: 'page-head' }, html('h1', {}, 'Customers'), form), card(`${list.total} customers`, 'Sorted by expected lifetime value', customerTable(list.customers, 'Customers')));
}

async function renderCustomer(main: HTMLElement, id: string): Promise<void> {
  const detail = await read<CustomerDetail>(`customers/${encodeURIComponent(id)}`);
  const { customer } = detail;
  replaceChildren(
    main,
    html('p', { class: 'breadcrumb' }, html('a', { href: '#/customers' }, 'Customers'), ' / ', customer.name || customer.id),
    html(
      'div',
      { class: 'profile-head' },
      html('div', { class: 'avatar', 'aria-hidden': 'true' }, (customer.name || customer.email || '?').slice(0, 1).toUpperCase()),
      html('div', {}, html('h1', { id: 'customer-name' }, customer.name || customer.email || customer.id), html('p', { class: 'muted' }, customer.email, ' · ', tierBadge(customer.tier), ' ', segmentChip(customer))),
      html(
        'dl',
        { class: 'facts' },
        html('div', {}, html('dt', {}, 'Orders'), html('dd', {}, String(customer.orders))),
        html('div', {}, html('dt', {}, 'Revenue'), html('dd', {}, formatMoney(customer.revenue))),
        html('div', {}, html('dt', {}, 'P(alive)'), html('dd', {}, percent(customer.pAlive))),
        html('div', {}, html('dt', {}, 'CLV'), html('dd', {}, customer.clv === null ? '–' : formatMoney(customer.clv))),
        html('div', {}, html('dt', {}, 'RFM'), html('dd', { class: 'mono' }, customer.rfm)),
      ),
    ),
    html(
      'div',
      { class: 'grid grid--profile' },
      card(
        'Merged profile',
        'One record from every identity this customer used',
        html('dl', { class: 'profile-fields', id: 'profile-fields' }, Object.entries(detail.profile).map(([name, value]) => html('div', {}, html('dt', {}, name), html('dd', {}, value)))),
        html('h3', { class: 'card__subtitle' }, 'Identities'),
        html('ul', { class: 'identities', id: 'identities' }, detail.identities.map((identity) => html('li', { 'data-kind': identity.kind }, html('span', { class: 'identity__kind' }, identity.kind), html('code', {}, identity.value)))),
      ),
      card(
        'Touchpoint timeline',
        `${detail.timeline.length} touchpoints`,
        html('div', { class: 'chart-box' }, timelineStrip(detail.timeline)),
        html('div', { id: 'customer-timeline' }, touchpointList([...detail.timeline].reverse())),
      ),
    ),
    detail.consent.length > 0 ? card('Consent records', null, consentTable(detail.consent)) : null,
  );
}

function consentTable(records: readonly ConsentRecordView[]): HTMLElement {
  return html(
    'table',
    { class: 'data-table consent-table' },
    html('thead', {}, html('tr', {}, ['When', 'Subject', 'Purposes', 'Source', 'Action', 'Hash'].map((name) => html('th', { scope: 'col' }, name)))),
    html(
      'tbody',
      {},
      records.map((record) =>
        html(
          'tr',
          { 'data-source': record.source },
          html('td', {}, formatDateTime(record.at)),
          html('td', { class: 'mono truncate' }, record.subject),
          html('td', {}, Object.entries(record.purposes).map(([purpose, state]) => html('span', { class: `state state--${state}` }, purpose))),
          html('td', {}, record.source),
          html('td', {}, record.action),
          html('td', { class: 'mono' }, record.hash.slice(0, 12)),
        ),
      ),
    ),
  );
}

async function renderConsent(main: HTMLElement): Promise<void> {
  const log = await read<ConsentLog>('consent');
  replaceChildren(main, html('div', { class: 'page-head' }, html('h1', {}, 'Consent log')), verificationBadge(log.verification), card(`${log.records.length} proof records`, 'Newest first', consentTable([...log.records].reverse())));
}

async function route(): Promise<void> {
  const main = required('main');
  const [path = '/', search = ''] = (location.hash.replace(/^#/, '') || '/').split('?');
  const [, first = '', second] = path.split('/');
  for (const tab of document.querySelectorAll<HTMLAnchorElement>('[data-tab]')) {
    const current = (first === '' ? 'overview' : first) === tab.dataset.tab;
    if (current) tab.setAttribute('aria-current', 'page');
    else tab.removeAttribute('aria-current');
  }
  main.setAttribute('aria-busy', 'true');
  try {
    if (first === 'customers' && second) await renderCustomer(main, decodeURIComponent(second));
    else if (first === 'customers') await renderCustomers(main, new URLSearchParams(search));
    else if (first === 'consent') await renderConsent(main);
    else await renderOverview(main);
  } catch (error) {
    replaceChildren(main, html('p', { class: 'notice' }, `Could not load this view: ${error instanceof Error ? error.message : String(error)}`));
  } finally {
    main.setAttribute('aria-busy', 'false');
    document.documentElement.dataset.ready = 'true';
  }
}

window.addEventListener('hashchange', () => void route());
void route();
