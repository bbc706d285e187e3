/**
 * The shop's screens. Each view renders into `<main>` and reports what the visitor did
 * through `ShopAnalytics`; none of them knows how events travel.
 */
import { html, svg, formatMoney, replaceChildren, type Child } from '../../shared/dom';
import type { Cart } from './cart';
import { catalog, findProduct, type Product } from './catalog';
import type { ContactReason, ShopAnalytics } from './shop-analytics';
import { logIn, placeOrder, type ShopCustomer } from './shop-api';
import { currentCustomer, forgetCustomer, rememberCustomer } from './session';

export interface ShopContext {
  readonly main: HTMLElement;
  readonly cart: Cart;
  readonly analytics: ShopAnalytics;
  /** Shows a short status message. */
  notify(message: string): void;
  /** Called after login or logout so the header can update. */
  customerChanged(customer: ShopCustomer | undefined): void;
  navigate(hash: string): void;
}

/** Generated cover art: a gradient square with the album's initials. */
export function coverArt(product: Product, size: number): SVGElement {
  const gradientId = `cover-${product.id}-${size}`;
  const initials = product.title
    .split(/\s+/)
    .map((word) => word[0])
    .join('')
    .slice(0, 2);
  return svg(
    'svg',
    { viewBox: '0 0 100 100', width: size, height: size, class: 'cover', role: 'img', 'aria-label': `Cover of ${product.title}` },
    svg(
      'defs',
      {},
      svg(
        'linearGradient',
        { id: gradientId, x1: 0, y1: 0, x2: 1, y2: 1 },
        svg('stop', { offset: 0, 'stop-color': product.cover[0] }),
        svg('stop', { offset: 1, 'stop-color': product.cover[1] }),
      ),
    ),
    svg('rect', { width: 100, height: 100, rx: 6, fill: `url(#${gradientId})` }),
    svg('circle', { cx: 72, cy: 30, r: 18, fill: '#ffffff', 'fill-opacity': 0.18 }),
    svg('circle', { cx: 72, cy: 30, r: 4, fill: '#ffffff', 'fill-opacity': 0.5 }),
    svg(
      'text',
      { x: 10, y: 88, fill: '#ffffff', 'font-size': 30, 'font-weight': 700, 'font-family': 'system-ui, sans-serif' },
      initials,
    ),
  );
}

function pageHeading(text: string, ...rest: Child[]): HTMLElement {
  return html('div', { class: 'page-heading' }, html('h1', {}, text), ...rest);
}

function addToCartButton(context: ShopContext, product: Product, label = 'Add to cart'): HTMLButtonElement {
  const button = html('button', { type: 'button', class: 'button button--primary', 'data-add-to-cart': product.id }, label);
  button.addEventListener('click', () => {
    context.cart.add(product.id);
    context.analytics.productAdded(product, 1);
    context.notify(`${product.title} added to your cart`);
  });
  return button;
}

const springPromotion = { promotionId: 'spring-vinyl', name: 'Spring: free shipping over $30' };

export function renderProductList(context: ShopContext): void {
  context.analytics.pageViewed('Shop');
  context.analytics.productListViewed(catalog);
  context.analytics.promotionViewed(springPromotion);
  const promotion = html('a', { href: '#/product/p-tidal', class: 'hero__cta', id: 'promotion' }, 'Listen to this week\'s pick →');
  promotion.addEventListener('click', () => context.analytics.promotionClicked(springPromotion));
  replaceChildren(
    context.main,
    html(
      'section',
      { class: 'hero', 'aria-labelledby': 'hero-title' },
      html('h1', { id: 'hero-title' }, 'New and notable'),
      html('p', {}, 'Albums picked by people, not algorithms. Free shipping on orders over $30 all spring.'),
      promotion,
    ),
    html(
      'ul',
      { class: 'product-grid', 'aria-label': 'Albums' },
      catalog.map((product) =>
        html(
          'li',
          { class: 'product-card' },
          html('a', { href: `#/product/${product.id}`, class: 'product-card__link' }, coverArt(product, 220), html('span', { class: 'product-card__title' }, product.title)),
          html('p', { class: 'product-card__artist' }, product.artist),
          html('p', { class: 'product-card__meta' }, html('span', { class: 'price' }, formatMoney(product.price)), html('span', { class: 'genre' }, product.genre)),
          addToCartButton(context, product),
        ),
      ),
    ),
  );
}

export function renderProduct(context: ShopContext, productId: string): void {
  const product = findProduct(productId);
  if (!product) {
    renderNotFound(context);
    return;
  }
  context.analytics.pageViewed('Product', { productId: product.id });
  context.analytics.productViewed(product);
  replaceChildren(
    context.main,
    html('p', { class: 'breadcrumb' }, html('a', { href: '#/' }, 'Shop'), ' / ', product.genre),
    html(
      'article',
      { class: 'product-detail' },
      coverArt(product, 320),
      html(
        'div',
        { class: 'product-detail__body' },
        html('h1', {}, product.title),
        html('p', { class: 'product-detail__artist' }, `${product.artist} · ${product.year}`),
        html('p', {}, product.blurb),
        html('p', { class: 'price price--large' }, formatMoney(product.price)),
        addToCartButton(context, product),
        html('p', { class: 'fineprint' }, `SKU ${product.sku} · ${product.genre}`),
      ),
    ),
  );
}

export function renderCart(context: ShopContext): void {
  context.analytics.pageViewed('Cart');
  const lines = context.cart.lines();
  if (lines.length === 0) {
    replaceChildren(context.main, pageHeading('Your cart'), html('p', { class: 'empty' }, 'Your cart is empty. ', html('a', { href: '#/' }, 'Find something to listen to.')));
    return;
  }
  const rows = lines.map((line) => {
    const quantity = html('input', {
      type: 'number',
      min: 0,
      max: 99,
      value: line.quantity,
      class: 'quantity',
      'aria-label': `Quantity of ${line.product.title}`,
    });
    quantity.addEventListener('change', () => {
      context.cart.setQuantity(line.product.id, Math.max(0, Math.floor(Number(quantity.value) || 0)));
      renderCart(context);
    });
    return html(
      'tr',
      {},
      html('td', { class: 'cart-item' }, coverArt(line.product, 48), html('span', {}, html('strong', {}, line.product.title), html('br'), line.product.artist)),
      html('td', {}, quantity),
      html('td', { class: 'numeric' }, formatMoney(line.product.price * line.quantity)),
    );
  });
  const checkout = html('a', { href: '#/checkout', class: 'button button--primary', id: 'go-to-checkout' }, 'Check out');
  replaceChildren(
    context.main,
    pageHeading('Your cart'),
    html(
      'table',
      { class: 'cart-table' },
      html('thead', {}, html('tr', {}, html('th', { scope: 'col' }, 'Album'), html('th', { scope: 'col' }, 'Quantity'), html('th', { scope: 'col', class: 'numeric' }, 'Price'))),
      html('tbody', {}, rows),
      html('tfoot', {}, html('tr', {}, html('th', { scope: 'row', colspan: 2 }, 'Total'), html('td', { class: 'numeric' }, html('strong', {}, formatMoney(context.cart.total()))))),
    ),
    html('div', { class: 'actions' }, html('a', { href: '#/', class: 'button' }, 'Keep shopping'), checkout),
  );
}

function field(label: string, input: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, hint?: string): HTMLElement {
  const id = input.id;
  return html(
    'div',
    { class: 'field' },
    html('label', { for: id }, label),
    input,
    hint ? html('p', { class: 'field__hint', id: `${id}-hint` }, hint) : null,
  );
}

export function renderCheckout(context: ShopContext): void {
  const lines = context.cart.lines();
  if (lines.length === 0) {
    context.navigate('#/cart');
    return;
  }
  context.analytics.pageViewed('Checkout');
  context.analytics.checkoutStarted(lines, context.cart.total());
  const customer = currentCustomer();
  const name = html('input', { id: 'checkout-name', name: 'name', required: true, autocomplete: 'name', value: customer?.name ?? '' });
  const email = html('input', { id: 'checkout-email', name: 'email', type: 'email', required: true, autocomplete: 'email', value: customer?.email ?? '' });
  const address = html('input', { id: 'checkout-address', name: 'address', required: true, autocomplete: 'street-address', value: '' });
  const submit = html('button', { type: 'submit', class: 'button button--primary', id: 'place-order' }, `Place order · ${formatMoney(context.cart.total())}`);
  const form = html(
    'form',
    { class: 'form', id: 'checkout-form', novalidate: false },
    field('Full name', name),
    field('Email', email, 'We send the receipt here. Logged-in customers collect loyalty points.'),
    field('Shipping address', address),
    html('p', { class: 'fineprint' }, 'This is a demo: no payment is taken and nothing ships.'),
    submit,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit.disabled = true;
    void (async () => {
      try {
        let known = currentCustomer();
        if (!known) {
          known = await logIn(email.value.trim(), name.value.trim(), context.analytics.anonymousId());
          rememberCustomer(known);
          context.analytics.identified(known);
          context.customerChanged(known);
        }
        const order = await placeOrder(
          context.cart.lines().map((line) => ({ productId: line.product.id, quantity: line.quantity })),
          { userId: known.userId, anonymousId: context.analytics.anonymousId() },
        );
        context.analytics.orderCompleted(order);
        context.cart.clear();
        context.navigate(`#/thanks/${order.orderId}`);
      } catch (error) {
        submit.disabled = false;
        context.notify(`Sorry, the order did not go through: ${error instanceof Error ? error.message : String(error)}`);
      }
    })();
  });
  replaceChildren(
    context.main,
    pageHeading('Checkout'),
    html(
      'div',
      { class: 'checkout' },
      form,
      html(
        'aside',
        { class: 'summary', 'aria-label': 'Order summary' },
        html('h2', {}, 'Order summary'),
        html('ul', {}, lines.map((line) => html('li', {}, html('span', {}, `${line.quantity} × ${line.product.title}`), html('span', {}, formatMoney(line.product.price * line.quantity))))),
        html('p', { class: 'summary__total' }, html('span', {}, 'Total'), html('strong', {}, formatMoney(context.cart.total()))),
      ),
    ),
  );
}

/** The thank-you page with the satisfaction survey (NPS, 0–10). */
export function renderThanks(context: ShopContext, orderId: string): void {
  context.analytics.pageViewed('Order confirmation', { orderId });
  const answered = sessionStorage.getItem(`guanxi-records:survey:${orderId}`) !== null;
  const scale = html(
    'div',
    { class: 'nps-scale', role: 'radiogroup', 'aria-labelledby': 'nps-question' },
    Array.from({ length: 11 }, (_, score) =>
      html(
        'label',
        { class: `nps-option nps-option--${score <= 6 ? 'detractor' : score <= 8 ? 'passive' : 'promoter'}` },
        html('input', { type: 'radio', name: 'nps', value: score, required: true, 'data-nps': score }),
        html('span', {}, String(score)),
      ),
    ),
  );
  const comment = html('textarea', { id: 'nps-comment', name: 'comment', rows: 3, maxlength: 1000 });
  const submit = html('button', { type: 'submit', class: 'button button--primary', id: 'nps-submit' }, 'Send answer');
  const form = html(
    'form',
    { class: 'form survey', id: 'nps-form' },
    html('h2', { id: 'nps-question' }, 'How likely are you to recommend Guanxi Records to a friend?'),
    html('div', { class: 'nps-ends', 'aria-hidden': 'true' }, html('span', {}, 'Not at all likely'), html('span', {}, 'Extremely likely')),
    scale,
    field('Anything you would like to tell us? (optional)', comment),
    submit,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = form.querySelector<HTMLInputElement>('input[name="nps"]:checked');
    if (!chosen) {
      context.notify('Please pick a score from 0 to 10.');
      return;
    }
    context.analytics.surveyAnswered({ orderId, score: Number(chosen.value), comment: comment.value.trim() });
    sessionStorage.setItem(`guanxi-records:survey:${orderId}`, chosen.value);
    replaceChildren(form, html('p', { class: 'survey__thanks', id: 'nps-thanks' }, 'Thank you — your answer helps us get better.'));
  });
  replaceChildren(
    context.main,
    html(
      'section',
      { class: 'thanks' },
      html('h1', {}, 'Thank you for your order'),
      html('p', {}, 'Order ', html('strong', { id: 'order-id' }, orderId), ' is confirmed. A receipt is on its way.'),
    ),
    answered ? html('p', { class: 'survey__thanks' }, 'Thank you for answering our survey.') : form,
  );
}

export function renderAccount(context: ShopContext): void {
  context.analytics.pageViewed('Account');
  const customer = currentCustomer();
  if (customer) {
    const logOut = html('button', { type: 'button', class: 'button', id: 'log-out' }, 'Log out');
    logOut.addEventListener('click', () => {
      context.analytics.loggedOut();
      forgetCustomer();
      context.customerChanged(undefined);
      context.notify('You are logged out.');
      renderAccount(context);
    });
    replaceChildren(
      context.main,
      pageHeading('Your account'),
      html('p', {}, 'Logged in as ', html('strong', {}, customer.name || customer.email), ` (${customer.email}).`),
      html('div', { class: 'account-badge', id: 'account-loyalty' }),
      html('div', { class: 'actions' }, html('a', { href: '#/', class: 'button button--primary' }, 'Shop'), logOut),
    );
    return;
  }
  const email = html('input', { id: 'login-email', name: 'email', type: 'email', required: true, autocomplete: 'email' });
  const name = html('input', { id: 'login-name', name: 'name', autocomplete: 'name' });
  const submit = html('button', { type: 'submit', class: 'button button--primary', id: 'log-in' }, 'Log in');
  const form = html(
    'form',
    { class: 'form form--narrow', id: 'login-form' },
    field('Email', email, 'No password in this demo. Try a demo customer below, or any email address.'),
    field('Name (for new customers)', name),
    submit,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit.disabled = true;
    void logIn(email.value.trim(), name.value.trim(), context.analytics.anonymousId())
      .then((known) => {
        rememberCustomer(known);
        context.analytics.identified(known);
        context.customerChanged(known);
        context.notify(known.returning ? `Welcome back, ${known.name || known.email}!` : `Welcome, ${known.name || known.email}!`);
        renderAccount(context);
      })
      .catch((error: unknown) => {
        submit.disabled = false;
        context.notify(`Log-in failed: ${error instanceof Error ? error.message : String(error)}`);
      });
  });
  const demoAccounts = html('ul', { class: 'demo-accounts', id: 'demo-accounts' });
  void fetch('/shop/api/demo-customers')
    .then((response) => (response.ok ? (response.json() as Promise<{ email: string; name: string; segmentLabel: string }[]>) : []))
    .then((accounts) => {
      for (const account of accounts) {
        const pick = html('button', { type: 'button', class: 'link-button' }, account.email);
        pick.addEventListener('click', () => {
          email.value = account.email;
          name.value = account.name;
          email.focus();
        });
        demoAccounts.append(html('li', {}, pick, html('span', { class: 'fineprint' }, ` ${account.name} · ${account.segmentLabel}`)));
      }
    })
    .catch(() => undefined);
  replaceChildren(context.main, pageHeading('Log in'), form, html('h2', { class: 'subheading' }, 'Demo customers'), demoAccounts);
}

export function renderContact(context: ShopContext): void {
  context.analytics.pageViewed('Contact');
  const customer = currentCustomer();
  const reason = html(
    'select',
    { id: 'contact-reason', name: 'reason' },
    html('option', { value: 'inquiry' }, 'A question'),
    html('option', { value: 'complaint' }, 'A complaint'),
    html('option', { value: 'suggestion' }, 'A suggestion'),
  );
  const email = html('input', { id: 'contact-email', name: 'email', type: 'email', required: true, autocomplete: 'email', value: customer?.email ?? '' });
  const subject = html('input', { id: 'contact-subject', name: 'subject', required: true, maxlength: 120 });
  const body = html('textarea', { id: 'contact-body', name: 'body', rows: 5, required: true, maxlength: 4000 });
  const submit = html('button', { type: 'submit', class: 'button button--primary', id: 'contact-submit' }, 'Send');
  const form = html(
    'form',
    { class: 'form form--narrow', id: 'contact-form' },
    field('What is it about?', reason),
    field('Your email', email),
    field('Subject', subject),
    field('Message', body),
    submit,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    context.analytics.contactSubmitted({
      reason: reason.value as ContactReason,
      subject: subject.value.trim(),
      body: body.value.trim(),
      email: email.value.trim(),
    });
    replaceChildren(
      form,
      html('p', { class: 'survey__thanks', id: 'contact-thanks' }, 'Thank you. Our team answers within one working day; whoever reads your message first looks after it until it is resolved.'),
    );
  });
  replaceChildren(context.main, pageHeading('Contact us'), html('p', {}, 'Questions, complaints and ideas all reach a person.'), form);
}

export function renderNotFound(context: ShopContext): void {
  context.analytics.pageViewed('Not found');
  replaceChildren(context.main, pageHeading('Not found'), html('p', {}, 'There is nothing here. ', html('a', { href: '#/' }, 'Back to the shop.')));
}
