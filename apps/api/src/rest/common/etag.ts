import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { DomainException } from '@rt/domain';

/** A resource's ETag is its version, quoted: strong, and changing with every write. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

export function sendWithEtag<T extends { version: number }>(reply: FastifyReply, view: T): T {
  void reply.header('ETag', etagOf(view.version));
  return view;
}

/**
 * The version the client last read, from If-Match. Missing → 428; present but not one of our ETags → a
 * version that matches nothing, so the write is refused as stale (412), as RFC 9110 asks.
 */
export function parseIfMatch(header: string | string[] | undefined): number {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value || value.trim() === '') {
    throw new DomainException(
      'precondition_required',
      'send If-Match with the ETag from your last read of this resource',
      [{ field: 'If-Match', message: 'required' }],
    );
  }
  if (value.trim() === '*') {
    // RFC 9110 lets `*` match any version; that is exactly the blind overwrite If-Match is here to prevent.
    throw new DomainException('precondition_required', 'If-Match: * is not accepted; send the ETag you read', [
      { field: 'If-Match', message: 'must be the ETag from your last read, not *' },
    ]);
  }
  const m = /^\s*"(\d{1,9})"\s*$/.exec(value);
  return m ? Number(m[1]) : -1;
}

export const IfMatch = createParamDecorator((_: unknown, ctx: ExecutionContext): number =>
  parseIfMatch(ctx.switchToHttp().getRequest<FastifyRequest>().headers['if-match']),
);
