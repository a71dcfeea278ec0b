import { createSecretKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { LRUCache } from 'lru-cache';
import { AppConfig } from '@rt/config';
import { Actor } from '@rt/domain';

interface TokenClaims {
  sub: string;
  /** The user's token generation when signed: a password change or disabling moves it on and voids the token. */
  gen: number;
}

/** How many recently verified tokens are remembered: about 0.4 KB each, one for every user of a national service. */
export const VERIFIED_TOKENS_REMEMBERED = 20_000;

/**
 * Bearer tokens: HS256 JWTs naming the user; who they are now is read from the database on every request.
 *
 * A token's signature is checked once: a token already verified is remembered with its claims until it expires
 * (a client sends the same token with every request, and the check was the largest single cost of an API read in
 * Node). Only the signature check is skipped; the expiry is checked on every use, and the user, their role and
 * their token generation are still read from the database on every request, so disabling someone or changing their
 * password still stops their tokens at once.
 */
@Injectable()
export class TokenService {
  private readonly jwt: JwtService;
  private readonly verified = new LRUCache<string, TokenClaims & { exp: number }>({ max: VERIFIED_TOKENS_REMEMBERED });

  constructor(private readonly config: AppConfig) {
    this.jwt = new JwtService({
      // A KeyObject, made once: given a string, jsonwebtoken first tries to parse it as a PEM public key on every
      // verify (an OpenSSL error, thrown and caught per request) before falling back to exactly this.
      secret: createSecretKey(Buffer.from(config.tokenSecret, 'utf8')),
      signOptions: { algorithm: 'HS256', expiresIn: config.tokenTtlSeconds, issuer: 'recommendation-tracker' },
      verifyOptions: { algorithms: ['HS256'], issuer: 'recommendation-tracker' },
    });
  }

  issue(actor: Actor, tokenGeneration: number): { accessToken: string; tokenType: 'Bearer'; expiresIn: number } {
    const claims: TokenClaims = { sub: actor.id, gen: tokenGeneration };
    return { accessToken: this.jwt.sign(claims), tokenType: 'Bearer', expiresIn: this.config.tokenTtlSeconds };
  }

  /** The claims of a valid, unexpired token, or null. */
  verify(token: string): TokenClaims | null {
    const known = this.verified.get(token);
    if (known) {
      if (Date.now() < known.exp * 1000) return known;
      this.verified.delete(token);
      return null;
    }
    try {
      const claims = this.jwt.verify<TokenClaims & { exp?: unknown }>(token);
      if (typeof claims.sub !== 'string' || !Number.isInteger(claims.gen) || typeof claims.exp !== 'number') {
        return null;
      }
      const valid = { sub: claims.sub, gen: claims.gen, exp: claims.exp };
      this.verified.set(token, valid);
      return valid;
    } catch {
      return null;
    }
  }
}
