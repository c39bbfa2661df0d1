import { isScopeToken } from '../domain/scope.js';
import type { M2mOwnerApiOptions } from './module-extras.js';
import { fail } from './option-sections.js';

/** Validates the owner API extra: its guard class, and the scopes and audiences an owner may grant. */
export function ownerApiOptions(options: M2mOwnerApiOptions): M2mOwnerApiOptions {
  if (typeof options.guard !== 'function') {
    fail('`ownerApi.guard` must be a guard class that sets request.m2mOwnerId.');
  }
  if (
    !Array.isArray(options.scopes) ||
    !options.scopes.every((s) => typeof s === 'string' && isScopeToken(s))
  ) {
    fail('`ownerApi.scopes` must list the scopes an owner may grant.');
  }
  if (
    options.audiences !== undefined &&
    (!Array.isArray(options.audiences) || !options.audiences.every((a) => typeof a === 'string'))
  ) {
    fail('`ownerApi.audiences` must list the resource URIs an owner may grant.');
  }
  return {
    guard: options.guard,
    scopes: [...options.scopes],
    audiences: [...(options.audiences ?? [])],
  };
}
