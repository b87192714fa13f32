// Sign-in shared by the server's pages (StaticPages.SIGN_IN_SCRIPT): a BrowserID assertion for the
// page's own origin, from the development IdP of a loopback server ("dev": the email typed in) or
// from navigator.id ("browserid", loaded from the configured include URL).
'use strict';

window.OpenWebAppsSignIn = (() => {
  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.onload = resolve;
      script.onerror = () => reject(new Error('cannot load ' + src));
      document.head.appendChild(script);
    });
  }

  async function fromDevIdp(email) {
    if (!email) {
      throw new Error('type your email address');
    }
    const response = await fetch('/dev-idp/assertion', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, audience: location.origin }),
    });
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    if (!response.ok || !body || !body.assertion) {
      throw new Error('the development sign-in refused: ' + (body && (body.message || body.error) || response.status));
    }
    return body.assertion;
  }

  async function fromBrowserId(include) {
    if (!navigator.id) {
      await loadScript(include);
    }
    return new Promise((resolve) => navigator.id.get((assertion) => resolve(assertion)));
  }

  return {
    /**
     * @param config the page's config.json ({signin, browserid_include})
     * @param email  what was typed in (dev sign-in only)
     * @return an assertion, or null when the person cancelled
     */
    assertion(config, email) {
      return config.signin === 'dev' ? fromDevIdp(email) : fromBrowserId(config.browserid_include);
    },
  };
})();
