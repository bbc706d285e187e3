/**
 * Guanxi Records: the storefront of the guanxi demo. Wires the cart, the screens, the
 * loyalty badge, the consent banner and guanxi's tracker together.
 */
import { html, replaceChildren, required } from '../../shared/dom';
import { Cart } from './cart';
import { createShopAnalytics, type StorefrontConfig } from './guanxi-analytics';
import { loyaltyStatus, type ShopCustomer } from './shop-api';
import { currentCustomer } from './session';
import {
  renderAccount,
  renderCart,
  renderCheckout,
  renderContact,
  renderNotFound,
  renderProduct,
  renderProductList,
  renderThanks,
  type ShopContext,
} from './views';

const tierClass: Record<string, string> = { A: 'gold', B: 'silver', C: 'bronze' };

async function showLoyalty(customer: ShopCustomer | undefined, config: StorefrontConfig): Promise<void> {
  const slot = required('#loyalty-badge');
  const accountLink = required<HTMLAnchorElement>('#account-link');
  accountLink.textContent = customer ? customer.name.split(' ')[0] || 'Account' : 'Log in';
  if (!customer) {
    replaceChildren(slot);
    return;
  }
  const status = await loyaltyStatus(customer.userId, { origin: config.collectorOrigin, writeKey: config.writeKey }).catch(() => undefined);
  const badge = status
    ? html(
        'a',
        { href: '#/account', class: `loyalty-badge loyalty-badge--${tierClass[status.tier] ?? 'member'}`, id: 'loyalty', 'data-tier': status.tier, 'data-segment': status.segment },
        html('span', { class: 'loyalty-badge__tier' }, status.tierLabel),
        html('span', { class: 'loyalty-badge__segment' }, status.segmentLabel),
      )
    : html('a', { href: '#/account', class: 'loyalty-badge loyalty-badge--member', id: 'loyalty', 'data-tier': 'new' }, html('span', { class: 'loyalty-badge__tier' }, 'Member'), html('span', { class: 'loyalty-badge__segment' }, 'Welcome!'));
  replaceChildren(slot, badge);
  const accountBadge = document.querySelector('#account-loyalty');
  if (accountBadge) {
    replaceChildren(
      accountBadge,
      status
        ? html('p', {}, 'Your loyalty tier is ', html('strong', {}, status.tierLabel), '. Segment: ', html('strong', {}, status.segmentLabel), '.')
        : html('p', {}, 'Your loyalty tier appears after your first order.'),
    );
  }
}

function showToast(message: string): void {
  const toast = required('#toast');
  toast.textContent = message;
  toast.hidden = false;
  window.clearTimeout(Number(toast.dataset.timer ?? 0));
  toast.dataset.timer = String(window.setTimeout(() => (toast.hidden = true), 4000));
}

async function start(): Promise<void> {
  const config = (await (await fetch('/shop/api/config')).json()) as StorefrontConfig;
  const main = required('main');
  const cart = new Cart();
  const analytics = await createShopAnalytics(config, {
    consentRoot: required('#consent-root'),
    privacyChoices: required<HTMLButtonElement>('#privacy-choices'),
  });

  const context: ShopContext = {
    main,
    cart,
    analytics,
    notify: showToast,
    customerChanged: (customer) => void showLoyalty(customer, config),
    navigate: (hash) => {
      if (location.hash === hash) route();
      else location.hash = hash;
    },
  };

  const cartCount = required('#cart-count');
  const updateCartCount = (): void => {
    cartCount.textContent = String(cart.count());
  };
  cart.onChange(updateCartCount);
  updateCartCount();

  function route(): void {
    const path = location.hash.replace(/^#/, '') || '/';
    const [, first = '', second = ''] = path.split('/');
    for (const link of document.querySelectorAll<HTMLAnchorElement>('[data-nav]')) {
      const current = (first === '' || first === 'product' ? 'shop' : first === 'checkout' || first === 'thanks' ? 'cart' : first) === link.dataset.nav;
      if (current) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    switch (first) {
      case '':
        renderProductList(context);
        break;
      case 'product':
        renderProduct(context, decodeURIComponent(second));
        break;
      case 'cart':
        renderCart(context);
        break;
      case 'checkout':
        renderCheckout(context);
        break;
      case 'thanks':
        renderThanks(context, decodeURIComponent(second));
        break;
      case 'account':
        renderAccount(context);
        void showLoyalty(currentCustomer(), config);
        break;
      case 'contact':
        renderContact(context);
        break;
      default:
        renderNotFound(context);
    }
    main.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }

  window.addEventListener('hashchange', route);
  route();
  await showLoyalty(currentCustomer(), config);
  document.documentElement.dataset.ready = 'true';
}

start().catch((error: unknown) => {
  replaceChildren(required('main'), html('p', { class: 'notice' }, `The shop could not start: ${error instanceof Error ? error.message : String(error)}`));
  console.error(error);
});
