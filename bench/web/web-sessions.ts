/** The session cookie's name (apps/api/src/web/web-session.ts). */
export const SESSION_COOKIE = 'rt_session';

/**
 * What a browser behind the production TLS proxy sends: the API trusts the proxy's X-Forwarded-Proto, and only
 * over https does it set its Secure session cookie.
 */
export const PROXY_HEADERS = { 'x-forwarded-proto': 'https' };

function cookieFrom(response: Response): string | null {
  for (const line of response.headers.getSetCookie()) {
    const match = new RegExp(`^${SESSION_COOKIE}=([^;]+)`).exec(line);
    if (match) return match[1];
  }
  return null;
}

/**
 * Signs in through the sign-in page as a browser does (the page's cookie and CSRF token, then the form) and
 * answers the signed-in session cookie's value.
 */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const page = await fetch(`${baseUrl}/sign-in`, { headers: PROXY_HEADERS });
  const html = await page.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const before = cookieFrom(page);
  if (!csrf || !before) throw new Error(`the sign-in page gave no CSRF token or cookie (${page.status})`);
  const res = await fetch(`${baseUrl}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      ...PROXY_HEADERS,
      cookie: `${SESSION_COOKIE}=${before}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ _csrf: csrf, email, password, returnTo: '/' }).toString(),
  });
  const session = cookieFrom(res);
  if (res.status !== 303 || !session) throw new Error(`sign-in as ${email} answered ${res.status}`);
  return session;
}

/** GET a page with a session, for checking what it shows before loading it. */
export async function getPage(
  baseUrl: string,
  path: string,
  session: string,
): Promise<{ status: number; html: string }> {
  const res = await fetch(`${baseUrl}${path}`, {
    redirect: 'manual',
    headers: { ...PROXY_HEADERS, cookie: `${SESSION_COOKIE}=${session}` },
  });
  return { status: res.status, html: await res.text() };
}
