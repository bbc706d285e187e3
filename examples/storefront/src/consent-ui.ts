/**
 * The storefront's consent banner and preference centre, built on guanxi's storefront
 * consent gate (the library ships no UI). Keyboard-usable, labelled for screen readers,
 * and withdrawing is as easy as giving consent (GDPR Art. 7(3)): one switch and Save.
 * Titles and descriptions come from the shop's purpose definitions; modes, required forms
 * and states from the gate (the policy the backend resolved).
 */
import { defaultConsentPurposes, type PurposeId, type StorefrontConsentGate } from 'guanxi/consent';
import { html, replaceChildren } from '../../shared/dom';
import type { ConsentMount } from './guanxi-analytics';

/** Whether the browser sends Global Privacy Control (read when asked, never at import). */
function globalPrivacyControl(): boolean {
  return (navigator as Navigator & { globalPrivacyControl?: boolean }).globalPrivacyControl === true;
}

function purposeRow(consent: StorefrontConsentGate, id: PurposeId): HTMLElement {
  const definition = defaultConsentPurposes.find((purpose) => purpose.id === id);
  const inputId = `purpose-${id}`;
  const alwaysOn = consent.policy.purposes[id]?.mode === 'always';
  const state = consent.state(id);
  // Off because of the browser's signal: the visitor may still switch it on here, and
  // that explicit choice overrides the signal (the gate records it so).
  const offBySignal = globalPrivacyControl() && state !== 'granted' && consent.policy.optOutSignalPurposes.includes(id);
  const input = html('input', {
    type: 'checkbox',
    role: 'switch',
    id: inputId,
    name: id,
    checked: alwaysOn || state === 'granted',
    disabled: alwaysOn,
    'aria-describedby': `${inputId}-text`,
  });
  return html(
    'div',
    { class: 'purpose', 'data-purpose': id },
    html('label', { class: 'purpose__name', for: inputId }, definition?.title ?? id, alwaysOn ? ' (always on)' : ''),
    html('p', { class: 'purpose__text', id: `${inputId}-text` }, definition?.description ?? ''),
    offBySignal ? html('p', { class: 'purpose__gpc' }, 'Off because your browser sends Global Privacy Control. Switch it on here only if you want this despite the signal.') : null,
    html('span', { class: 'purpose__switch switch' }, input, html('span', { 'aria-hidden': 'true' })),
  );
}

/** Shows the banner when a choice is due, and the preference centre on demand. */
export function mountConsentUi(consent: StorefrontConsentGate, mount: ConsentMount): void {
  const dialog = html('dialog', { class: 'preference-centre', id: 'preference-centre', 'aria-labelledby': 'preference-centre-title' });
  const banner = html('section', { class: 'consent-banner', id: 'consent-banner', 'aria-labelledby': 'consent-banner-title', hidden: true });
  mount.consentRoot.replaceChildren(banner, dialog);

  const hideBanner = () => {
    banner.hidden = true;
  };

  function openPreferences(): void {
    const rows = Object.keys(consent.policy.purposes).map((id) => purposeRow(consent, id));
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
    // The gate's "accept all" leaves what Global Privacy Control opted out of, and what
    // needs an explicit or separate consent, to the preference centre.
    void consent.acceptAll({ source: 'banner', action: 'accept-all' });
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
  // Due while an opt-in purpose has no valid choice (never asked, or a grant lapsed).
  banner.hidden = !Object.entries(consent.policy.purposes).some(([id, purpose]) => purpose.mode === 'opt-in' && consent.state(id) === 'pending');
}
