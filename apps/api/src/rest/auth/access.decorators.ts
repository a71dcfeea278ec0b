import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Actor, Capability } from '@rt/domain';

export const CAPABILITY_KEY = 'rt:capability';
export { PUBLIC_KEY } from '@rt/health';
export const AUTHENTICATED_KEY = 'rt:authenticated';

/** The capability a route needs; the access guard refuses every other role with 403 before the handler runs. */
export const Requires = (capability: Capability) => SetMetadata(CAPABILITY_KEY, capability);

/** Any signed-in user (e.g. `GET /me`). */
export const Authenticated = () => SetMetadata(AUTHENTICATED_KEY, true);

export { Public } from '@rt/health';

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<{ actor?: Actor }>().actor;
  if (!actor) throw new Error('CurrentActor used on a route without authentication');
  return actor;
});
