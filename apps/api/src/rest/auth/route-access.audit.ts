import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { AUTHENTICATED_KEY, CAPABILITY_KEY, PUBLIC_KEY } from './access.decorators';

export interface RouteAccess {
  route: string;
  access: string | null;
}

/** Lists every HTTP handler with the access it declares; null means it declares none. */
export function routeAccess(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
  reflector: Reflector,
): RouteAccess[] {
  const routes: RouteAccess[] = [];
  for (const wrapper of discovery.getControllers()) {
    const { instance, metatype } = wrapper;
    if (!instance || !metatype) continue;
    const prototype = Object.getPrototypeOf(instance);
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name];
      if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
      const targets = [handler, metatype];
      const access = reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)
        ? 'public'
        : (reflector.getAllAndOverride<string>(CAPABILITY_KEY, targets) ??
          (reflector.getAllAndOverride<boolean>(AUTHENTICATED_KEY, targets) ? 'authenticated' : null));
      routes.push({ route: `${metatype.name}.${name}`, access });
    }
  }
  return routes;
}

/** Refuses to start when a route forgot to say who may call it: access is never left to memory. */
@Injectable()
export class RouteAccessAudit implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    const undeclared = routeAccess(this.discovery, this.scanner, this.reflector).filter((r) => r.access === null);
    if (undeclared.length) {
      throw new Error(`Routes without declared access: ${undeclared.map((r) => r.route).join(', ')}`);
    }
  }
}
