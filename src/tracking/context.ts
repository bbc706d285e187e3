import { getDocument, getNavigator } from '../core/environment';
import type { TrackingContext } from './wire-schema';

/** The query parameters copied into `context.campaign`: UTM fields and ad click ids. */
const utmFields = ['source', 'medium', 'campaign', 'term', 'content', 'id'] as const;
/** Click ids of the common ad networks (Google, Meta, Microsoft, TikTok, X, LinkedIn, Yandex, Pinterest, Reddit, Snapchat, impact.com). */
const clickIds = ['gclid', 'gbraid', 'wbraid', 'dclid', 'fbclid', 'msclkid', 'ttclid', 'twclid', 'li_fat_id', 'yclid', 'epik', 'rdt_cid', 'sccid', 'irclickid'];

/** The campaign fields of a query string: `utm_campaign` → `name` as the Segment spec does. */
export function campaignFromSearch(search: string): Record<string, string> | undefined {
  if (search.length < 2) return undefined;
  const params = new URLSearchParams(search);
  const campaign: Record<string, string> = {};
  for (const field of utmFields) {
    const value = params.get(`utm_${field}`);
    if (value) campaign[field === 'campaign' ? 'name' : field] = value;
  }
  for (const id of clickIds) {
    const value = params.get(id);
    if (value) campaign[id] = value;
  }
  return Object.keys(campaign).length > 0 ? campaign : undefined;
}

type PageContext = NonNullable<TrackingContext['page']>;

/**
 * Reads page context when an event is captured. Values that cannot change during a
 * page's life (locale, timezone, user agent) are read once; campaign fields are parsed
 * again only when the URL changes (single-page navigation).
 */
export function createContextReader(): {
  page(): PageContext | undefined;
  campaign(): Record<string, string> | undefined;
  environment(): Pick<TrackingContext, 'locale' | 'timezone' | 'userAgent'>;
} {
  let environment: Pick<TrackingContext, 'locale' | 'timezone' | 'userAgent'> | undefined;
  let lastSearch: string | undefined;
  let lastCampaign: Record<string, string> | undefined;
  return {
    page() {
      const document = getDocument();
      const location = document?.location;
      if (!document || !location) return undefined;
      return {
        url: location.href,
        path: location.pathname,
        referrer: document.referrer,
        title: document.title,
        search: location.search,
      };
    },
    campaign() {
      const search = getDocument()?.location?.search ?? '';
      if (search !== lastSearch) {
        lastSearch = search;
        lastCampaign = campaignFromSearch(search);
      }
      return lastCampaign;
    },
    environment() {
      if (environment) return environment;
      const navigator = getNavigator();
      const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      environment = {};
      const locale = navigator?.language;
      if (locale) environment.locale = locale;
      if (timezone) environment.timezone = timezone;
      if (navigator?.userAgent) environment.userAgent = navigator.userAgent;
      return environment;
    },
  };
}
