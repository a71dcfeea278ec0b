import { loadConfig } from '@rt/config';
import { Actor } from '@rt/domain';
import { TokenService } from './token.service';

const actor: Actor = {
  id: '6f1c2b4a-7d3e-4f5a-9b8c-1d2e3f4a5b6c',
  email: 'sam.jones@kent.example',
  name: 'Sam Jones',
  role: 'senior_manager',
  organisationId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
  portfolioOrganisationIds: [],
};

const service = (secret = 'a-secret-long-enough-for-the-tests-0123456789', ttl = '3600') =>
  new TokenService(loadConfig({ TOKEN_SECRET: secret, TOKEN_TTL_SECONDS: ttl }));

describe('TokenService', () => {
  afterEach(() => jest.useRealTimers());

  it('answers the claims of a token it issued, on every use', () => {
    const tokens = service();
    const { accessToken } = tokens.issue(actor, 3);
    for (let use = 0; use < 3; use++) {
      expect(tokens.verify(accessToken)).toMatchObject({ sub: actor.id, gen: 3 });
    }
  });

  it('refuses a token signed with another secret, or altered, even after the genuine one was verified', () => {
    const tokens = service();
    const { accessToken } = tokens.issue(actor, 0);
    expect(tokens.verify(accessToken)).not.toBeNull();

    const forged = service('another-secret-that-is-long-enough-9876543210').issue(actor, 0).accessToken;
    expect(tokens.verify(forged)).toBeNull();
    const [header, payload, signature] = accessToken.split('.');
    const otherUser = Buffer.from(JSON.stringify({ ...decode(payload), sub: 'someone-else' })).toString('base64url');
    expect(tokens.verify(`${header}.${otherUser}.${signature}`)).toBeNull();
    expect(tokens.verify(`${header}.${payload}.${signature.slice(0, -2)}xx`)).toBeNull();
  });

  it('stops answering for a token once it expires, though it was verified while valid', () => {
    jest.useFakeTimers({ now: new Date('2026-03-02T09:00:00Z') });
    const tokens = service(undefined, '60');
    const { accessToken } = tokens.issue(actor, 0);
    expect(tokens.verify(accessToken)).not.toBeNull();

    jest.setSystemTime(new Date('2026-03-02T09:00:59Z'));
    expect(tokens.verify(accessToken)).not.toBeNull();
    jest.setSystemTime(new Date('2026-03-02T09:01:00Z'));
    expect(tokens.verify(accessToken)).toBeNull();
    jest.setSystemTime(new Date('2026-03-02T09:00:30Z'));
    expect(tokens.verify(accessToken)).not.toBeNull();
  });

  it('refuses what is not a token', () => {
    const tokens = service();
    for (const junk of ['', 'abc', 'a.b.c', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.']) {
      expect([junk, tokens.verify(junk)]).toEqual([junk, null]);
    }
  });
});

function decode(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}
