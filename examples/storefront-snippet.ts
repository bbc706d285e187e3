// The storefront snippet on the README's first screen, type-checked here (test/demo/readme.test.ts keeps the two equal).
import { createConsentRegister, localConsentStorage } from 'guanxi/consent';
import { createTracker } from 'guanxi/tracking';

const consent = createConsentRegister({ jurisdiction: 'EU', storage: localConsentStorage(), notice: { version: '2026-01', text: 'We use your data to…', language: 'en' } });
const tracker = createTracker({ endpoint: 'https://crm.example.com/v1/batch', writeKey: 'storefront-write-key', consent });

tracker.page(); // held until consent allows analytics, then sent with its original time
tracker.track('Order Completed', { order_id: 'GR-10001', total: 31.98, currency: 'USD' });
tracker.touchpoint({ channel: 'web', type: 'complaint', subject: 'Scratched disc' });
await consent.acceptAll({ source: 'banner', action: 'accept-all' }); // from your consent banner
