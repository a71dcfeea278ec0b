/** Not signed in (or the session ended): the filter sends the browser to sign in, then back here. */
export class SignInRequired extends Error {
  constructor(readonly returnTo: string) {
    super('Sign in required');
  }
}

/** A form without a valid CSRF token for this session. */
export class FormExpired extends Error {
  constructor() {
    super('The form has expired');
  }
}

/** A page that does not exist, or a record outside what the user may see (same rule as the API: 404). */
export class PageNotFound extends Error {
  constructor() {
    super('Page not found');
  }
}
