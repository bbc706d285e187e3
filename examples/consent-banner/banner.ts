/**
 * A small, accessible consent banner and preference centre on top of guanxi's consent
 * register — the library itself ships no UI. No framework: plain DOM.
 *
 * Accessibility: the banner is a labelled region that does not trap focus (the page stays
 * usable, GDPR consent must not be forced); the preference centre is a modal `<dialog>`
 * (focus moves into it, Escape closes it, focus returns to the control that opened it);
 * every purpose is a native checkbox with a visible label and description, so Tab, Space
 * and Enter work without scripts of their own. "Reject all" is as prominent as "Accept
 * all", and withdrawing is one switch and Save (GDPR Art. 7(3)). Purposes that need
 * explicit or separate consent (sensitive data, PIPL sharing) are asked one by one, never
 * bundled into "Accept all".
 */
import type { ConsentRegister, PurposeStatus } from 'guanxi/consent';

export interface ConsentBannerText {
  readonly title: string;
  readonly intro: string;
  readonly acceptAll: string;
  readonly rejectAll: string;
  readonly choose: string;
  readonly save: string;
  readonly close: string;
  readonly centreTitle: string;
  readonly alwaysOn: string;
  readonly separate: string;
  readonly gpc: string;
}

export const englishBannerText: ConsentBannerText = {
  title: 'Your privacy choices',
  intro: 'We use your data to run the shop. With your consent we also use it for the purposes below. You can change your mind at any time.',
  acceptAll: 'Accept all',
  rejectAll: 'Reject all',
  choose: 'Choose',
  save: 'Save choices',
  close: 'Close',
  centreTitle: 'Privacy preferences',
  alwaysOn: 'always on',
  separate: 'asked for separately',
  gpc: 'Off because your browser sends Global Privacy Control.',
};

type Attributes = Record<string, string | boolean | undefined>;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : value);
  }
  node.append(...children);
  return node;
}

function purposeRow(status: PurposeStatus, text: ConsentBannerText): HTMLElement {
  const id = `consent-purpose-${status.purpose.id}`;
  const fixed = status.mode === 'always';
  const notes = [fixed ? text.alwaysOn : '', status.requiredForm !== 'general' ? text.separate : ''].filter(Boolean).join(', ');
  const checkbox = element('input', {
    type: 'checkbox',
    id,
    name: status.purpose.id,
    'aria-describedby': `${id}-description`,
    disabled: fixed,
  });
  checkbox.checked = fixed || status.state === 'granted';
  return element(
    'div',
    { class: 'consent-purpose', 'data-purpose': status.purpose.id },
    checkbox,
    element('label', { for: id }, status.purpose.title ?? status.purpose.id, notes ? ` (${notes})` : ''),
    element(
      'p',
      { id: `${id}-description` },
      status.purpose.description ?? '',
      status.optedOutBySignal ? ` ${text.gpc}` : '',
    ),
  );
}

export interface ConsentBanner {
  /** Opens the preference centre (e.g. from a "Privacy choices" link in the footer). */
  openPreferences(opener?: HTMLElement): void;
  /** Removes the banner and the preference centre. */
  remove(): void;
}

/**
 * Mounts the banner (when `consent.prompt().due`) and the preference centre into `root`.
 */
export function mountConsentBanner(consent: ConsentRegister, root: HTMLElement, text: ConsentBannerText = englishBannerText): ConsentBanner {
  const banner = element(
    'section',
    { class: 'consent-banner', role: 'region', 'aria-labelledby': 'consent-banner-title' },
    element('h2', { id: 'consent-banner-title' }, text.title),
    element('p', {}, text.intro),
  );
  const accept = element('button', { type: 'button', 'data-action': 'accept-all' }, text.acceptAll);
  const reject = element('button', { type: 'button', 'data-action': 'reject-all' }, text.rejectAll);
  const choose = element('button', { type: 'button', 'data-action': 'choose', 'aria-haspopup': 'dialog' }, text.choose);
  banner.append(element('div', { class: 'consent-actions' }, accept, reject, choose));

  const form = element('form', { method: 'dialog' });
  const dialog = element(
    'dialog',
    { class: 'consent-centre', 'aria-labelledby': 'consent-centre-title' },
    element('h2', { id: 'consent-centre-title' }, text.centreTitle),
    form,
  );
  let opener: HTMLElement | undefined;

  const showBanner = () => {
    banner.hidden = !consent.prompt().due;
  };

  const renderForm = () => {
    const fieldset = element('fieldset', {}, element('legend', {}, text.title));
    for (const status of consent.purposes()) fieldset.append(purposeRow(status, text));
    form.replaceChildren(
      fieldset,
      element(
        'div',
        { class: 'consent-actions' },
        element('button', { type: 'submit', value: 'save', 'data-action': 'save' }, text.save),
        element('button', { type: 'button', 'data-action': 'close' }, text.close),
      ),
    );
  };

  const closeCentre = () => {
    if (dialog.open) dialog.close();
    opener?.focus();
    opener = undefined;
  };

  const openPreferences = (from?: HTMLElement) => {
    opener = from ?? (document.activeElement instanceof HTMLElement ? document.activeElement : undefined);
    renderForm();
    dialog.showModal();
    form.querySelector<HTMLInputElement>('input:not([disabled])')?.focus();
  };

  accept.addEventListener('click', () => {
    void consent.acceptAll({ source: 'banner', action: 'accept-all' }).finally(showBanner);
  });
  reject.addEventListener('click', () => {
    void consent.rejectAll({ source: 'banner', action: 'reject-all' }).finally(showBanner);
  });
  choose.addEventListener('click', () => openPreferences(choose));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const purposes: Record<string, 'granted' | 'denied' | 'objected'> = {};
    const statuses = consent.purposes();
    for (const status of statuses) {
      if (status.mode === 'always') continue;
      const box = form.querySelector<HTMLInputElement>(`input[name="${CSS.escape(status.purpose.id)}"]`);
      if (!box) continue;
      const chosen = box.checked ? 'granted' : status.mode === 'legitimate-interests' ? 'objected' : 'denied';
      if (chosen !== status.state) purposes[status.purpose.id] = chosen;
    }
    // A box ticked on its own in the preference centre is a specific, separate choice.
    const separate = statuses.some((status) => purposes[status.purpose.id] === 'granted' && status.requiredForm !== 'general');
    void consent
      .update({ purposes, source: 'preference-centre', action: 'save-choices', form: separate ? 'separate' : 'general' })
      .catch((error: unknown) => console.warn('consent not saved', error))
      .finally(() => {
        showBanner();
        closeCentre();
      });
  });
  form.addEventListener('click', (event) => {
    if ((event.target as HTMLElement).closest('[data-action="close"]')) closeCentre();
  });
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault();
    closeCentre();
  });
  const unsubscribe = consent.subscribe(showBanner);

  root.append(banner, dialog);
  showBanner();
  return {
    openPreferences,
    remove() {
      unsubscribe();
      banner.remove();
      dialog.remove();
    },
  };
}
