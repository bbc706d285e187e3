/**
 * The dashboard's read endpoints (`/dashboard/api/...`), mounted by the demo's web
 * server. Each request reads a fresh snapshot of the CRM, at most once per second, so the
 * dashboard shows what the storefront just did.
 */
import type { DemoCrm } from '../demo/crm';
import { HttpProblem, type JsonRoute } from '../demo/web-server';
import { customerBaseView, type CustomerBaseView } from './customer-base';

export interface CustomerBaseReader {
  /** The views computed from the CRM's current state (cached for `maxAgeMs`). */
  current(): Promise<CustomerBaseView>;
  /** Forgets the cached views, so the next read sees every change. */
  invalidate(): void;
}

export function customerBaseReader(crm: DemoCrm, options: { asOfFloor: string; historySource: string; maxAgeMs?: number }): CustomerBaseReader {
  let cached: { at: number; view: Promise<CustomerBaseView> } | undefined;
  const maxAge = options.maxAgeMs ?? 1000;
  return {
    current() {
      const now = Date.now();
      if (!cached || now - cached.at > maxAge) {
        const view = crm.snapshot(options.asOfFloor).then((snapshot) => customerBaseView(snapshot, options.historySource));
        cached = { at: now, view };
        view.catch(() => (cached = undefined));
      }
      return cached.view;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

export function dashboardApi(reader: CustomerBaseReader): JsonRoute {
  return async ({ method, path, query }) => {
    if (method !== 'GET') throw new HttpProblem(405, 'the dashboard only reads');
    const view = await reader.current();
    const [resource = '', id] = path.split('/');
    if (resource === 'overview') return view.overview;
    if (resource === 'customers' && id) {
      const detail = view.customer(decodeURIComponent(id));
      if (!detail) throw new HttpProblem(404, 'no such customer');
      return detail;
    }
    if (resource === 'customers') return view.customers({ q: query.get('q') ?? '', limit: Number(query.get('limit') ?? 100) || 100 });
    if (resource === 'consent') return view.consentLog();
    throw new HttpProblem(404, `no dashboard endpoint /dashboard/api/${path}`);
  };
}
