import { RequestMethod, SetMetadata } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import type { MetadataScanner, Reflector } from '@nestjs/core';
import { REQUIRED_SCOPES_METADATA } from '../m2m.internal-constants.js';

/** Metadata key under which {@link AdvertisedScopes} stores its scopes. */
const ADVERTISED_SCOPES_METADATA = 'm2m:advertised-scopes';

/**
 * Lists scopes in `scopes_supported` whenever the controller is mounted: for routes whose guard
 * requires a scope without `@RequireScopes()`, such as the admin API's `m2m:admin`.
 */
export function AdvertisedScopes(...scopes: string[]): ClassDecorator {
  return SetMetadata(ADVERTISED_SCOPES_METADATA, scopes);
}

/** Joins a controller path and a handler path the way the router does. */
function joinPath(controller: string, handler: string): string {
  const parts = [controller, handler]
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter((part) => part !== '');
  return `/${parts.join('/')}`;
}

function paths(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : ['/'];
}

/**
 * The routes of a handler as declared (`GET /demo/reports`), without a global prefix or
 * version; none for a method that is not a route handler.
 */
function routesOf(controller: object, handler: object): string[] {
  const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
  if (method === undefined || Reflect.getMetadata(PATH_METADATA, handler) === undefined) return [];
  const verb = RequestMethod[method] ?? 'ALL';
  return paths(Reflect.getMetadata(PATH_METADATA, controller)).flatMap((base) =>
    paths(Reflect.getMetadata(PATH_METADATA, handler)).map(
      (path) => `${verb} ${joinPath(base, path)}`,
    ),
  );
}

/**
 * Every scope that `@RequireScopes()` lists on the given controller instances, with the routes
 * that require it. A scope on a controller is required by each of its routes.
 */
export function discoverRequiredScopes(
  controllers: readonly object[],
  scanner: MetadataScanner,
  reflector: Reflector,
): Map<string, string[]> {
  const found = new Map<string, Set<string>>();
  const add = (scopes: string[] | undefined, routes: string[]) => {
    for (const scope of scopes ?? []) {
      const known = found.get(scope) ?? new Set<string>();
      routes.forEach((route) => known.add(route));
      found.set(scope, known);
    }
  };
  for (const instance of controllers) {
    const type = instance.constructor;
    const prototype = Object.getPrototypeOf(instance) as Record<string, object>;
    const handlers = scanner.getAllMethodNames(prototype).map((name) => prototype[name]!);
    add(
      reflector.get<string[] | undefined>(REQUIRED_SCOPES_METADATA, type),
      handlers.flatMap((handler) => routesOf(type, handler)),
    );
    for (const handler of handlers) {
      const scopes = reflector.get<string[] | undefined>(
        REQUIRED_SCOPES_METADATA,
        handler as never,
      );
      add(scopes, routesOf(type, handler));
    }
  }
  return new Map([...found].map(([scope, routes]) => [scope, [...routes]]));
}

/** Every scope that {@link AdvertisedScopes} lists on the given controller instances. */
export function discoverAdvertisedScopes(
  controllers: readonly object[],
  reflector: Reflector,
): string[] {
  return controllers.flatMap(
    (instance) =>
      reflector.get<string[] | undefined>(ADVERTISED_SCOPES_METADATA, instance.constructor) ?? [],
  );
}
