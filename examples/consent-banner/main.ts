/**
 * The example page: a consent register kept in localStorage, Google Consent Mode
 * wired in, and the banner. Bundle with `npx tsx examples/consent-banner/serve.ts`.
 */
import { connectConsentMode, createConsentRegister, localConsentStorage } from 'guanxi/consent';
import { mountConsentBanner } from './banner';

const notice = document.querySelector('#privacy-notice')?.textContent ?? '';
const consent = createConsentRegister({
  jurisdiction: document.documentElement.dataset.jurisdiction ?? 'EU',
  notice: { version: '2026-03', text: notice, language: document.documentElement.lang || 'en', url: '#privacy-notice' },
  storage: localConsentStorage(),
  onRecord: (record) => console.info('consent proof record', record.sequence, record.source, record.action),
});
connectConsentMode(consent);
const banner = mountConsentBanner(consent, document.querySelector<HTMLElement>('#consent-root') ?? document.body);
document.querySelector('#privacy-choices')?.addEventListener('click', (event) => banner.openPreferences(event.currentTarget as HTMLElement));
Object.assign(window, { consent, banner });
