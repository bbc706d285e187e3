/**
 * The storefront's consent banner and preference centre, built on guanxi's consent
 * register (the library ships no UI). Keyboard-usable, labelled for screen readers,
 * and withdrawing is as easy as giving consent (GDPR Art. 7(3)): one switch and Save.
 */
import type { ConsentRegister, PurposeStatus } from 'guanxi/consent';
import { html, replaceChildren } from '../../shared/dom';
import type { ConsentMount } from './guanxi-analytics';

/** Whether the browser sends Global Privacy Control (read when asked, never at import). */
function globalPrivacyControl(): boolean {
  return (navigator as Navigator & { globalPrivacyControl?: boolean }).globalPrivacyControl === true;
}

/** Purposes a GPC signal opts out of: those that sell, share or target advertising. */
function optedOutBySignal(status: PurposeStatus): boolean {
  const processing = status.purpose.processing;
  return globalPrivacyControl() && status.state !== 'granted' && Boolean(processing?.sale || processing?.sharing || processing?.targetedAdvertising);
}

function purposeRow(status: PurposeStatus): HTMLElement {
  const id = `purpose-${status.purpose.id}`;
  const alwaysOn = status.mode === 'always' || status.purpose.alwaysOn === true;
  const input = html('input', {
    type: 'checkbox',
    role: 'switch',
    id,
    name: status.purpose.id,
    checked: alwaysOn || status.state === 'granted',
    disabled: alwaysOn,
    'aria-describedby': `${id}-text`,
  });
  return html(
    'div',
    { class: 'purpose', 'data-purpose': status.purpose.id },
    html('label', { class: 'purpose__name', for: id }, status.purpose.title ?? status.purpose.id, alwaysOn ? ' (always on)' : ''),
    html('p', { class: 'purpose__text', id: `${id}-text` }, status.purpose.description ?? ''),
    status.optedOutBySignal || optedOutBySignal(status) ? html('p', { class: 'purpose__gpc' }, 'Off because your browser sends Global Privacy Control. Switch it on here only if you want this despite the signal.') : null,
    html('span', { class: 'purpose__switch switch' }, input, html('span', { 'aria-hidden': 'true' })),
  );
}

/** Shows the banner when a choice is due, and the preference centre on demand. */
export function mountConsentUi(consent: ConsentRegister, mount: ConsentMount): void {
  const dialog = html('dialog', { class: 'preference-centre', id: 'preference-centre', 'aria-labelledby': 'preference-centre-title' });
  const banner = html('section', { class: 'consent-banner', id: 'consent-banner', 'aria-labelledby': 'consent-banner-title', hidden: true });
  mount.consentRoot.replaceChildren(banner, dialog);

  const hideBanner = () => {
    banner.hidden = true;
  };

  function openPreferences(): void {
    const rows = consent.purposes().map(purposeRow);
    const save = html('button', { type: 'submit', class: 'button button--primary', id: 'save-choices' }, 'Save choices');
    const cancel = html('button', { type: 'button', class: 'button', value: 'cancel' }, 'Cancel');
    const form = html(
      'form',
      { method: 'dialog' },
      html('h2', { id: 'preference-centre-title' }, 'Privacy choices'),
      html('p', { class: 'fineprint' }, 'Choose what Guanxi Records may use your data for. You can change this at any time; withdrawing stops it at once and removes what is waiting to be sent.'),
      rows,
      html('div', { class: 'actions' }, save, cancel),
    );
    cancel.addEventListener('click', () => dialog.close());
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const purposes: Record<string, 'granted' | 'denied'> = {};
      for (const input of form.querySelectorAll<HTMLInputElement>('input[type="checkbox"]:not(:disabled)')) purposes[input.name] = input.checked ? 'granted' : 'denied';
      void consent.update({ purposes, source: 'preference-centre', action: 'save-choices' });
      hideBanner();
      dialog.close();
    });
    replaceChildren(dialog, form);
    dialog.showModal();
  }

  const accept = html('button', { type: 'button', class: 'button button--primary', id: 'consent-accept' }, 'Accept all');
  const reject = html('button', { type: 'button', class: 'button', id: 'consent-reject' }, 'Reject all');
  const choose = html('button', { type: 'button', class: 'button', id: 'consent-choose' }, 'Choose');
  accept.addEventListener('click', () => {
    // "Accept all" is not a choice against the browser's Global Privacy Control: purposes
    // the signal opted out of stay off unless switched on one by one in the preference centre.
    const statuses = consent.purposes();
    if (statuses.some((status) => status.optedOutBySignal || optedOutBySignal(status))) {
      const purposes: Record<string, 'granted'> = {};
      for (const status of statuses) {
        if (status.mode !== 'always' && !status.optedOutBySignal && !optedOutBySignal(status) && status.requiredForm === 'general') purposes[status.purpose.id] = 'granted';
      }
      void consent.update({ purposes, source: 'banner', action: 'accept-all' });
    } else {
      void consent.acceptAll({ source: 'banner', action: 'accept-all' });
    }
    hideBanner();
  });
  reject.addEventListener('click', () => {
    void consent.rejectAll({ source: 'banner', action: 'reject-all' });
    hideBanner();
  });
  choose.addEventListener('click', openPreferences);
  replaceChildren(
    banner,
    html(
      'div',
      {},
      html('h2', { id: 'consent-banner-title' }, 'Your privacy, your choice'),
      html('p', {}, 'We would like to measure visits, personalize the shop and send you offers. Nothing beyond what runs the shop happens without your yes. ', html('button', { type: 'button', class: 'link-button', id: 'consent-details' }, 'Details')),
    ),
    html('div', { class: 'consent-banner__actions' }, reject, choose, accept),
  );
  banner.querySelector('#consent-details')?.addEventListener('click', openPreferences);
  mount.privacyChoices.addEventListener('click', openPreferences);
  banner.hidden = !consent.prompt().due;
}
