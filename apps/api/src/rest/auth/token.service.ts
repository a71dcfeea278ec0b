import { createSecretKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '@rt/config';
import { Actor } from '@rt/domain';

interface TokenClaims {
  sub: string;
  /** The user's token generation when signed: a password change or disabling moves it on and voids the token. */
  gen: number;
}

/** Bearer tokens: HS256 JWTs naming the user; who they are now is read from the database on every request. */
@Injectable()
export class TokenService {
  private readonly jwt: JwtService;

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
    try {
      const claims = this.jwt.verify<TokenClaims>(token);
      return typeof claims.sub === 'string' && Number.isInteger(claims.gen) ? claims : null;
    } catch {
      return null;
    }
  }
}
