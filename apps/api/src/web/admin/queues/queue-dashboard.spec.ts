import { queueDashboardCsp } from './queue-dashboard';

describe('the queue dashboard’s Content-Security-Policy', () => {
  it('allows the board’s inline styles, and no inline or foreign script', () => {
    const csp = queueDashboardCsp(false);
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(queueDashboardCsp(true)).toContain('upgrade-insecure-requests');
  });
});
