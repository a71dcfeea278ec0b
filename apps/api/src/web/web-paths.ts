/** Paths that belong to the JSON API and its documentation, health checks and static files; the rest are web pages. */
const NOT_PAGES = /^\/(api|health)(\/|\?|$)/;

/** The JSON API's paths (with its documentation) and the health checks: never the web pages' business. */
export function isApiPath(url: string): boolean {
  return NOT_PAGES.test(url);
}

export function isWebPage(url: string): boolean {
  return !isApiPath(url) && !url.startsWith('/assets/');
}

/**
 * Where to go after signing in: only a same-site path ("/actions/…"), never another host. Anything else, including
 * protocol-relative "//evil.example" and "/\evil.example" (which browsers treat as a host), goes home.
 */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 500) return '/';
  if (!/^\/(?![/\\])[^\s\\]*$/.test(value)) return '/';
  return value;
}
