// The store's pages: browse and search, an app's page (install, buy), my apps and purchases, a
// developer's submission with its validation report, the reviewers' queue. One page, routes in the
// fragment (#/app/17), talking to the Marketplace API with the Marketplace's token (never in a URL).
'use strict';

(() => {
  const API = '/marketplace/api/v1';
  const LOGIN_KEY = 'openwebapps.store.login';
  const SECTIONS = ['browse', 'app-page', 'mine', 'developer', 'review'];
  const $ = (id) => document.getElementById(id);

  let config = { signin: 'browserid', browserid_include: null };
  let login = null; // {token, email, permissions}
  let nextPage = null;

  // --- plumbing ------------------------------------------------------------------------------

  function showMessage(text) {
    $('message').textContent = text || '';
    $('message').hidden = !text;
  }

  function element(tag, properties, ...children) {
    const node = document.createElement(tag);
    Object.assign(node, properties);
    node.append(...children);
    return node;
  }

  /** Calls the API; @return {status, body}. 401 signs out. */
  async function api(method, path, body) {
    const headers = {};
    if (login) {
      headers.Authorization = 'Bearer ' + login.token;
    }
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const response = await fetch(path.startsWith('/') ? path : API + '/' + path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store',
    });
    let json = null;
    try {
      json = await response.json();
    } catch (e) {
      json = null;
    }
    if (response.status === 401 && login) {
      signOut('Your sign-in has expired: sign in again.');
    }
    return { status: response.status, body: json };
  }

  function problem(answer) {
    return answer.body && (answer.body.message || answer.body.error) || 'the server answered ' + answer.status;
  }

  // --- sign-in -------------------------------------------------------------------------------

  async function signIn(event) {
    event.preventDefault();
    showMessage('');
    try {
      const minted = await window.OpenWebAppsSignIn.assertion(config, $('signin-email').value.trim());
      if (!minted) {
        return;
      }
      const answer = await api('POST', 'account/login', { assertion: minted, audience: location.origin });
      if (answer.status !== 201) {
        throw new Error(problem(answer));
      }
      login = { token: answer.body.token, email: answer.body.email, permissions: answer.body.permissions || {} };
      sessionStorage.setItem(LOGIN_KEY, JSON.stringify(login));
      showAccount();
      route();
    } catch (e) {
      showMessage('Cannot sign in: ' + e.message);
    }
  }

  function signOut(why) {
    sessionStorage.removeItem(LOGIN_KEY);
    login = null;
    showAccount();
    showMessage(why || '');
    route();
  }

  function showAccount() {
    $('signin-form').hidden = !!login;
    $('account').hidden = !login;
    $('user-email').textContent = login ? login.email : '';
    $('nav-review').hidden = !(login && login.permissions.reviewer);
    $('signin-email').hidden = config.signin !== 'dev';
    document.querySelector('label[for="signin-email"]').hidden = config.signin !== 'dev';
  }

  function needsSignIn(section) {
    if (login) {
      return false;
    }
    $(section).replaceChildren(element('p', { textContent: 'Sign in first (top right).' }));
    return true;
  }

  // --- browse --------------------------------------------------------------------------------

  function price(app) {
    return app.premium_type === 'premium' && app.price ? app.price.amount + ' ' + app.price.currency : 'Free';
  }

  function card(app) {
    const item = element('li');
    item.dataset.appId = String(app.id);
    const icon = app.icons && (app.icons['128'] || Object.values(app.icons)[0]);
    const link = element('a', { href: '#/app/' + app.id, textContent: app.name });
    link.dataset.field = 'name';
    if (icon) {
      item.append(element('img', { src: icon, alt: '' }));
    }
    item.append(link, element('p', { textContent: app.description || '' }),
      element('span', { className: 'price', textContent: price(app) }));
    return item;
  }

  async function search(path, append) {
    const answer = await api('GET', path);
    if (answer.status !== 200) {
      showMessage('Search failed: ' + problem(answer));
      return;
    }
    const cards = answer.body.objects.map(card);
    if (append) {
      $('results').append(...cards);
    } else {
      $('results').replaceChildren(...cards);
    }
    $('results-count').textContent = answer.body.meta.total_count + ' apps';
    $('results-count').dataset.total = String(answer.body.meta.total_count);
    nextPage = answer.body.meta.next;
    $('more').hidden = !nextPage;
  }

  function browse(query) {
    $('search-q').value = query;
    search('apps?limit=24' + (query ? '&q=' + encodeURIComponent(query) : ''), false);
  }

  // --- an app --------------------------------------------------------------------------------

  let shownApp = null;

  async function appPage(id) {
    const answer = await api('GET', 'apps/' + encodeURIComponent(id));
    if (answer.status !== 200) {
      showMessage(answer.status === 404 ? 'No such app.' : problem(answer));
      return;
    }
    const app = answer.body;
    shownApp = app;
    $('app-page').dataset.appId = String(app.id);
    $('app-name').textContent = app.name;
    $('app-description').textContent = app.description || '';
    $('app-developer').textContent = app.developer && app.developer.name ? 'by ' + app.developer.name : '';
    $('app-price').textContent = price(app);
    const icon = app.icons && (app.icons['128'] || Object.values(app.icons)[0]);
    $('app-icon').hidden = !icon;
    if (icon) {
      $('app-icon').src = icon;
    }
    setAppStatus('', '');
    $('install').hidden = true;
    $('buy').hidden = true;
    if (!login) {
      setAppStatus('signed-out', 'Sign in to install this app.');
      return;
    }
    if (app.premium_type !== 'premium') {
      $('install').hidden = false;
      return;
    }
    const purchases = await api('GET', 'account/purchases/mine');
    const held = purchases.status === 200
      ? purchases.body.objects.find((p) => p.app === app.id && ['COMPLETED', 'REFUND_PENDING', 'PENDING'].includes(p.state)) : null;
    if (held && held.state !== 'PENDING') {
      $('install').hidden = false;
      setAppStatus('purchased', 'You bought this app.');
    } else {
      $('buy').hidden = false;
      $('buy').textContent = 'Buy for ' + price(app);
      if (held) {
        setAppStatus('payment-pending', 'A payment was started: finish it, or start again.');
      }
    }
  }

  function setAppStatus(state, text) {
    $('app-status').dataset.state = state;
    $('app-status').textContent = text;
  }

  async function install() {
    const app = shownApp;
    $('install').disabled = true;
    const answer = await api('POST', 'installs', { app: app.id });
    $('install').disabled = false;
    if (answer.status === 201 || answer.status === 202) {
      setAppStatus('installed', answer.body.sync === 'done' ? 'Installed: it is on your Dashboard and every device.'
        : 'Installed: it reaches your devices as soon as sync is back.');
    } else if (answer.status === 402) {
      setAppStatus('payment-required', 'Buy the app first.');
    } else {
      setAppStatus('error', 'Cannot install: ' + problem(answer));
    }
  }

  async function buy() {
    const app = shownApp;
    const answer = await api('POST', 'payments/prepare', { app: app.id });
    if (answer.status === 409) {
      return appPage(app.id); // bought meanwhile
    }
    if (answer.status !== 200 && answer.status !== 201) {
      setAppStatus('error', 'Cannot start the payment: ' + problem(answer));
      return;
    }
    const uuid = answer.body.purchase.uuid;
    setAppStatus('paying', 'Complete the payment in the window that opened.');
    window.open(answer.body.redirect_url, 'payment');
    for (let i = 0; i < 600 && shownApp === app; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const purchase = await api('GET', 'payments/' + uuid);
      if (purchase.status === 200 && purchase.body.state !== 'PENDING') {
        if (purchase.body.state === 'COMPLETED') {
          await appPage(app.id);
          setAppStatus('purchased', 'Paid: install it now.');
        } else {
          setAppStatus('payment-' + purchase.body.state.toLowerCase(), 'The payment ended: ' + purchase.body.state);
        }
        return;
      }
    }
  }

  // --- mine ----------------------------------------------------------------------------------

  async function mine() {
    if (needsSignIn('mine-apps')) {
      $('mine-purchases').replaceChildren();
      return;
    }
    const [installed, purchases] = await Promise.all([api('GET', 'account/installed/mine'), api('GET', 'account/purchases/mine')]);
    const installs = installed.status === 200 ? (Array.isArray(installed.body) ? installed.body : installed.body.objects) : [];
    $('mine-apps').replaceChildren(...installs.map((entry) => {
      const item = element('li');
      item.dataset.appId = String(entry.app.id);
      item.append(element('a', { href: '#/app/' + entry.app.id, textContent: entry.app.name }),
        element('span', { textContent: 'installed ' + new Date(entry.install_time).toLocaleString() }),
        element('span', { textContent: entry.receipts.length ? 'with a receipt' : '' }));
      return item;
    }));
    const bought = purchases.status === 200 ? purchases.body.objects : [];
    $('mine-purchases').replaceChildren(...bought.map((purchase) => {
      const item = element('li');
      item.dataset.purchaseUuid = purchase.uuid;
      item.dataset.state = purchase.state;
      item.dataset.hasReceipt = String(!!purchase.receipt);
      item.append(element('a', { href: '#/app/' + purchase.app, textContent: 'app ' + purchase.app }),
        element('span', { textContent: purchase.amount + ' ' + purchase.currency }),
        element('span', { textContent: purchase.state }),
        element('span', { textContent: new Date(purchase.created).toLocaleString() }));
      return item;
    }));
  }

  // --- developer -----------------------------------------------------------------------------

  function report(validation) {
    $('validation-report').hidden = false;
    $('validation-report').dataset.valid = String(validation.valid);
    $('validation-summary').textContent = (validation.valid ? 'Valid' : 'Not valid') + ': ' + validation.errors
      + ' errors, ' + validation.warnings + ' warnings';
    $('validation-messages').replaceChildren(...validation.messages.map((m) => {
      const item = element('li', { className: m.type, textContent: m.code + (m.path ? ' at ' + m.path : '') + ': ' + m.message });
      item.dataset.code = m.code;
      item.dataset.type = m.type;
      return item;
    }));
  }

  async function submit(event) {
    event.preventDefault();
    showMessage('');
    const manifest = $('submit-manifest').value.trim();
    const checked = await api('POST', 'apps/validate', { manifest });
    if (checked.status !== 200) {
      showMessage('Cannot validate: ' + problem(checked));
      return;
    }
    report(checked.body);
    if (!checked.body.valid) {
      return;
    }
    const created = await api('POST', 'apps', { manifest });
    if (created.status !== 201) {
      if (created.body && created.body.validation) {
        report(created.body.validation);
      }
      showMessage('Not submitted: ' + problem(created));
      return;
    }
    const path = 'apps/' + created.body.id;
    const patched = await api('PATCH', path, { categories: [$('submit-category').value] });
    const submitted = patched.status === 200 ? await api('POST', path + '/submit') : patched;
    if (submitted.status !== 200) {
      showMessage('Submitted, but not sent for review: ' + problem(submitted));
    }
    myApps();
  }

  async function myApps() {
    const answer = await api('GET', 'apps/mine');
    const apps = answer.status === 200 ? answer.body.objects : [];
    $('my-apps').replaceChildren(...apps.map((app) => {
      const item = element('li');
      item.dataset.appId = String(app.id);
      item.dataset.status = app.status;
      item.append(element('a', { href: '#/app/' + app.id, textContent: app.name }), element('span', { textContent: app.status }),
        element('span', { textContent: app.origin }));
      return item;
    }));
  }

  function developer() {
    $('submit-form').hidden = !login;
    if (needsSignIn('my-apps')) {
      return;
    }
    myApps();
  }

  // --- review --------------------------------------------------------------------------------

  async function review() {
    if (needsSignIn('review-queue')) {
      return;
    }
    const answer = await api('GET', 'reviewers/queue');
    if (answer.status !== 200) {
      $('review-queue').replaceChildren(element('li', { textContent: problem(answer) }));
      return;
    }
    const pending = answer.body.objects;
    $('review-empty').hidden = pending.length > 0;
    $('review-queue').replaceChildren(...pending.map((app) => {
      const item = element('li');
      item.dataset.appId = String(app.id);
      const buttons = ['approve', 'reject'].map((action) => {
        const button = element('button', { type: 'button', textContent: action === 'approve' ? 'Approve' : 'Reject' });
        button.dataset.action = action;
        button.setAttribute('aria-label', (action === 'approve' ? 'Approve ' : 'Reject ') + app.name);
        button.addEventListener('click', async () => {
          const done = await api('POST', 'apps/' + app.id + '/review', { action, comment: 'from the review queue' });
          if (done.status === 200) {
            item.remove();
            $('review-empty').hidden = $('review-queue').children.length > 0;
          } else {
            showMessage('Cannot ' + action + ': ' + problem(done));
          }
        });
        return button;
      });
      item.append(element('a', { href: '#/app/' + app.id, textContent: app.name }), element('span', { textContent: app.origin }),
        ...buttons);
      return item;
    }));
  }

  // --- routes --------------------------------------------------------------------------------

  function show(section) {
    SECTIONS.forEach((id) => {
      $(id).hidden = id !== section;
    });
  }

  function route() {
    const hash = location.hash || '#/';
    let match;
    if ((match = /^#\/app\/([0-9a-z-]+)$/.exec(hash))) {
      show('app-page');
      appPage(match[1]);
    } else if (hash === '#/mine') {
      show('mine');
      mine();
    } else if (hash === '#/developer') {
      show('developer');
      developer();
    } else if (hash === '#/review') {
      show('review');
      review();
    } else {
      show('browse');
      const query = /^#\/search\/(.*)$/.exec(hash);
      browse(query ? decodeURIComponent(query[1]) : '');
    }
  }

  async function start() {
    $('signin-form').addEventListener('submit', signIn);
    $('signout').addEventListener('click', () => signOut(''));
    $('search-form').addEventListener('submit', (event) => {
      event.preventDefault();
      location.hash = '#/search/' + encodeURIComponent($('search-q').value.trim());
    });
    $('more').addEventListener('click', () => nextPage && search(nextPage, true));
    $('install').addEventListener('click', install);
    $('buy').addEventListener('click', buy);
    $('submit-form').addEventListener('submit', submit);
    window.addEventListener('hashchange', () => {
      showMessage('');
      route();
    });
    try {
      const response = await fetch('config.json', { cache: 'no-store' });
      if (response.ok) {
        config = Object.assign(config, await response.json());
      }
    } catch (e) {
      // the defaults
    }
    try {
      login = JSON.parse(sessionStorage.getItem(LOGIN_KEY) || 'null');
    } catch (e) {
      login = null;
    }
    showAccount();
    route();
  }

  start();
})();
