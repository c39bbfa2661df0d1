import type { CanActivate } from '@nestjs/common';
import { M2mConfigurationError } from '../errors/m2m-configuration.error.js';
import type { M2mOwnerApiOptions } from './module-extras.js';
import { ownerApiOptions } from './owner-api-options.js';

class OwnerGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}

function refusal(options: unknown): M2mConfigurationError {
  try {
    ownerApiOptions(options as M2mOwnerApiOptions);
  } catch (error) {
    return error as M2mConfigurationError;
  }
  throw new Error('accepted');
}

describe('ownerApiOptions', () => {
  it('copies the policy and defaults the audiences to none', () => {
    const scopes = ['orders:read'];
    const resolved = ownerApiOptions({ guard: OwnerGuard, scopes });
    expect(resolved).toEqual({ guard: OwnerGuard, scopes: ['orders:read'], audiences: [] });
    expect(resolved.scopes).not.toBe(scopes);
  });

  it.each([
    [
      { scopes: ['a'] },
      'ownerApi.guard',
      'M2mModule: `ownerApi.guard` must be a guard class that sets request.m2mOwnerId.',
    ],
    [
      { guard: OwnerGuard, scopes: ['bad scope'] },
      'ownerApi.scopes',
      'M2mModule: `ownerApi.scopes` must list the scopes an owner may grant.',
    ],
    [
      { guard: OwnerGuard, scopes: ['a'], audiences: [42] },
      'ownerApi.audiences',
      'M2mModule: `ownerApi.audiences` must list the resource URIs an owner may grant.',
    ],
  ])('refuses %j, naming the option', (options, option, message) => {
    const error = refusal(options);
    expect(error).toBeInstanceOf(M2mConfigurationError);
    expect(error.message).toBe(message);
    expect(error.option).toBe(option);
  });
});
