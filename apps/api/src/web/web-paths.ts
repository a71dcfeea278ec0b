/** The JSON API's paths (with its documentation) and the health checks: never the web pages' business. */
export function isApiPath(url: string): boolean {
  return /^\/(api|health)(\/|\?|$)/.test(url);
}

/** A web page: neither the API nor a static file under /assets. */
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
