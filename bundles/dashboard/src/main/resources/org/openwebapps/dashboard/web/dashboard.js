// The Dashboard (contract: spec/marketplace.md section 8): the signed-in user's apps, kept in step
// with AppSync by the 2011 protocol. No framework, no build step; the ids and data attributes it
// sets are the hooks browser tests use.
'use strict';

(() => {
  const LOGIN_KEY = 'openwebapps.dashboard.login';
  /** At most this many pages per sync (incomplete answers and uuid resets). */
  const MAX_PAGES = 50;
  const $ = (id) => document.getElementById(id);

  let config = { signin: 'browserid', browserid_include: null, poll_seconds: 10 };
  let login = null; // {email, collection_url, http_authorization}
  let since = 0;
  let uuid = null;
  const apps = new Map(); // origin -> the app document as AppSync holds it (tombstones too)
  const receiptStatus = new Map(); // receipt -> what its verifier said
  let pollSeconds = null; // X-Sync-Poll-Time, while the server sets one
  let backoffUntil = 0; // ms since the epoch: nothing is sent before
  let timer = null;
  let syncing = false;
  let syncAgain = false;
  let listed = false; // whether the list was drawn since the sign-in

  // --- status and messages -------------------------------------------------------------------

  function setStatus(state, text) {
    const status = $('sync-status');
    status.dataset.state = state;
    status.dataset.until = String(since);
    status.dataset.uuid = uuid === null ? '' : uuid;
    status.textContent = text;
  }

  function showMessage(text) {
    const message = $('message');
    message.textContent = text || '';
    message.hidden = !text;
  }

  async function errorText(response) {
    try {
      const body = await response.json();
      return body.message || body.reason || body.msg || body.error || String(response.status);
    } catch (e) {
      return String(response.status);
    }
  }

  function retryAfterSeconds(response) {
    const seconds = Number(response.headers.get('Retry-After'));
    return Number.isFinite(seconds) && seconds > 0 ? seconds : 30;
  }

  function backOff(response) {
    const seconds = retryAfterSeconds(response);
    backoffUntil = Date.now() + seconds * 1000;
    setStatus('backoff', 'The server is busy: waiting ' + seconds + ' s');
    schedule(seconds);
  }

  // --- sign-in -------------------------------------------------------------------------------

  async function signIn(event) {
    event.preventDefault();
    showMessage('');
    $('signin').disabled = true;
    try {
      const assertion = await window.OpenWebAppsSignIn.assertion(config, $('signin-email').value.trim());
      if (!assertion) {
        return;
      }
      const response = await fetch('/verify', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ assertion, audience: location.origin }),
      });
      if (!response.ok) {
        showMessage('Sign-in refused: ' + (await errorText(response)));
        return;
      }
      const body = await response.json();
      login = { email: body.email, collection_url: body.collection_url, http_authorization: body.http_authorization };
      sessionStorage.setItem(LOGIN_KEY, JSON.stringify(login));
      signedIn();
    } catch (e) {
      showMessage('Cannot sign in: ' + e.message);
    } finally {
      $('signin').disabled = false;
    }
  }

  function signedIn() {
    listed = false;
    $('signin-form').hidden = true;
    $('account').hidden = false;
    $('user-email').textContent = login.email;
    sync();
  }

  function signOut(why) {
    sessionStorage.removeItem(LOGIN_KEY);
    login = null;
    since = 0;
    uuid = null;
    apps.clear();
    clearTimeout(timer);
    $('account').hidden = true;
    $('signin-form').hidden = false;
    $('signin-email').hidden = config.signin !== 'dev';
    document.querySelector('label[for="signin-email"]').hidden = config.signin !== 'dev';
    render();
    setStatus('idle', '');
    showMessage(why || '');
  }

  // --- sync ----------------------------------------------------------------------------------

  function schedule(seconds) {
    clearTimeout(timer);
    if (login) {
      timer = setTimeout(sync, seconds * 1000);
    }
  }

  function pollInterval() {
    return pollSeconds || config.poll_seconds;
  }

  function reset() {
    apps.clear();
    since = 0;
  }

  async function sync() {
    if (!login || Date.now() < backoffUntil) {
      return; // during a backoff nothing is sent, not even for "sync now"
    }
    if (syncing) {
      syncAgain = true;
      return;
    }
    syncing = true;
    clearTimeout(timer);
    setStatus('syncing', 'Syncing…');
    try {
      for (let page = 0; page < MAX_PAGES; page++) {
        const response = await fetch(login.collection_url + '?since=' + encodeURIComponent(String(since)), {
          headers: { Authorization: login.http_authorization },
          cache: 'no-store',
        });
        if (response.status === 401) {
          signOut('Your sign-in has expired: sign in again.');
          return;
        }
        if (response.status === 503) {
          backOff(response);
          return;
        }
        if (!response.ok) {
          setStatus('error', 'Sync failed: ' + (await errorText(response)));
          schedule(pollInterval());
          return;
        }
        const poll = Number(response.headers.get('X-Sync-Poll-Time'));
        pollSeconds = Number.isFinite(poll) && poll > 0 ? poll : null;
        const body = await response.json();
        if (body.collection_deleted) {
          reset();
          uuid = null;
          render();
          break;
        }
        if (uuid !== null && body.uuid !== uuid) {
          reset(); // another collection than the one listed: start again from the beginning
          uuid = body.uuid;
          render();
          continue;
        }
        uuid = body.uuid;
        const changed = (body.applications || []).filter((app) => app && typeof app.origin === 'string');
        changed.forEach((app) => apps.set(app.origin, app));
        since = body.until;
        if (changed.length || !listed) {
          render(); // only what changed redraws: a poll that brings nothing keeps the focus where it is
        }
        if (!body.incomplete) {
          break;
        }
      }
      setStatus('idle', 'Up to date');
      schedule(pollInterval());
    } catch (e) {
      setStatus('error', 'Cannot reach the server');
      schedule(pollInterval());
    } finally {
      syncing = false;
      if (syncAgain) {
        syncAgain = false;
        sync();
      }
    }
  }

  async function uninstall(origin, button) {
    if (Date.now() < backoffUntil) {
      showMessage('The server asked to wait a little: try again shortly.');
      return;
    }
    button.disabled = true;
    const tombstone = { origin, deleted: true, last_modified: Date.now() };
    try {
      const response = await fetch(login.collection_url, {
        method: 'POST',
        headers: { Authorization: login.http_authorization, 'Content-Type': 'application/json' },
        body: JSON.stringify([tombstone]),
      });
      if (response.status === 401) {
        signOut('Your sign-in has expired: sign in again.');
      } else if (response.status === 503) {
        backOff(response);
        button.disabled = false;
      } else if (response.ok) {
        apps.set(origin, tombstone);
        render();
      } else {
        showMessage('Uninstall failed: ' + (await errorText(response)));
        button.disabled = false;
      }
    } catch (e) {
      showMessage('Cannot reach the server');
      button.disabled = false;
    }
  }

  // --- receipts ------------------------------------------------------------------------------

  /** The claims of a {@code <cert>~<receipt>}, unverified (the verifier checks them), or null. */
  function decodeReceipt(receipt) {
    try {
      const part = receipt.substring(receipt.indexOf('~') + 1).split('.')[1];
      const base64 = part.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((part.length + 3) % 4);
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const claims = JSON.parse(new TextDecoder().decode(bytes));
      return claims && typeof claims === 'object' ? claims : null;
    } catch (e) {
      return null;
    }
  }

  async function verifyReceipt(receipt, claims, item) {
    let status;
    try {
      const url = new URL(claims.verify);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        throw new Error('not a web URL');
      }
      const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: receipt });
      const body = await response.json();
      status = response.ok && typeof body.status === 'string' ? body.status : 'error';
      if (body.reason) {
        status += ' (' + body.reason + ')';
      }
    } catch (e) {
      status = 'error';
    }
    receiptStatus.set(receipt, status);
    item.dataset.receiptStatus = status.split(' ')[0];
    item.querySelector('.receipt-status').textContent = status;
  }

  // --- rendering -----------------------------------------------------------------------------

  function element(tag, properties, ...children) {
    const node = document.createElement(tag);
    Object.assign(node, properties);
    node.append(...children);
    return node;
  }

  function appName(app) {
    const name = app.manifest && typeof app.manifest.name === 'string' ? app.manifest.name : '';
    return name || app.origin;
  }

  /** An URL on the app's own origin, or null. */
  function onOrigin(app, path) {
    try {
      const url = new URL(typeof path === 'string' && path ? path : '/', app.origin);
      return url.origin === new URL(app.origin).origin ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function iconUrl(app) {
    const icons = app.manifest && app.manifest.icons;
    if (!icons || typeof icons !== 'object') {
      return 'app.svg';
    }
    const sizes = Object.keys(icons).filter((size) => /^[0-9]+$/.test(size)).sort((a, b) => b - a);
    for (const size of sizes) {
      try {
        const url = new URL(icons[size], app.origin);
        if (url.protocol === 'https:' || url.protocol === 'http:' || url.protocol === 'data:') {
          return url.href;
        }
      } catch (e) {
        // not a URL: the next size
      }
    }
    return 'app.svg';
  }

  function receiptItem(receipt) {
    const claims = decodeReceipt(receipt);
    const item = element('li');
    item.dataset.receipt = '';
    if (!claims) {
      item.append('A receipt this page cannot read');
      return item;
    }
    item.dataset.receiptTyp = String(claims.typ);
    item.dataset.receiptIss = String(claims.iss);
    item.dataset.receiptExp = String(claims.exp);
    const expires = Number.isFinite(claims.exp) ? new Date(claims.exp * 1000).toLocaleDateString() : '?';
    const button = element('button', { type: 'button', textContent: 'Verify' });
    button.dataset.action = 'verify-receipt';
    button.addEventListener('click', () => verifyReceipt(receipt, claims, item));
    const status = element('span', { className: 'receipt-status' });
    item.append(element('span', { textContent: claims.typ + ' from ' + claims.iss + ', expires ' + expires }), button, status);
    if (receiptStatus.has(receipt)) {
      item.dataset.receiptStatus = receiptStatus.get(receipt).split(' ')[0];
      status.textContent = receiptStatus.get(receipt);
    }
    return item;
  }

  function tile(app) {
    const name = appName(app);
    const item = element('li');
    item.dataset.appOrigin = app.origin;
    const title = element('span', { className: 'name', textContent: name });
    title.dataset.field = 'name';
    const launch = element('a', { textContent: 'Launch', target: '_blank', rel: 'noopener noreferrer' });
    launch.dataset.action = 'launch';
    launch.setAttribute('aria-label', 'Launch ' + name);
    const href = onOrigin(app, app.manifest && app.manifest.launch_path);
    if (href) {
      launch.href = href;
    }
    const remove = element('button', { type: 'button', textContent: 'Uninstall' });
    remove.dataset.action = 'uninstall';
    remove.setAttribute('aria-label', 'Uninstall ' + name);
    remove.addEventListener('click', () => uninstall(app.origin, remove));
    const data = app.install_data || app.installData || {};
    const receipts = Array.isArray(data.receipts) ? data.receipts.filter((r) => typeof r === 'string') : [];
    item.append(element('img', { src: iconUrl(app), alt: '' }), title,
      element('span', { className: 'origin', textContent: app.origin }),
      element('div', { className: 'actions' }, launch, remove));
    if (receipts.length) {
      item.append(element('ul', { className: 'receipts' }, ...receipts.map(receiptItem)));
    }
    return item;
  }

  function render() {
    const shown = [...apps.values()].filter((app) => !app.deleted)
      .sort((a, b) => appName(a).toLowerCase().localeCompare(appName(b).toLowerCase()));
    $('apps').replaceChildren(...shown.map(tile));
    listed = !!login;
    $('apps-empty').hidden = !login || shown.length > 0;
    if (shown.length && !performance.getEntriesByName('apps-shown').length) {
      performance.mark('apps-shown'); // when the list first showed, for tools/bench/pages.sh
    }
  }

  // --- start ---------------------------------------------------------------------------------

  async function start() {
    $('signin-form').addEventListener('submit', signIn);
    $('signout').addEventListener('click', () => signOut(''));
    $('sync-now').addEventListener('click', sync);
    try {
      const response = await fetch('config.json', { cache: 'no-store' });
      if (response.ok) {
        config = Object.assign(config, await response.json());
      }
    } catch (e) {
      // the defaults
    }
    const kept = sessionStorage.getItem(LOGIN_KEY);
    if (kept) {
      try {
        login = JSON.parse(kept);
      } catch (e) {
        login = null;
      }
    }
    if (login && login.collection_url && login.http_authorization) {
      signedIn();
    } else {
      signOut('');
    }
  }

  start();
})();
