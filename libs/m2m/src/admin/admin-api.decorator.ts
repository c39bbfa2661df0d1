import { applyDecorators, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ProblemDetailsFilter } from '../http/problem-details.filter.js';
import { AdminAccessGuard } from '../guards/admin-access.guard.js';
import { M2M_ADMIN_SCOPE, M2M_SECURITY_SCHEME } from '../m2m.constants.js';
import { AdvertisedScopes } from '../oauth/scope-discovery.js';
import { ApiAdminErrors } from './admin-responses.decorator.js';
import { adminValidationPipe } from './admin-validation.pipe.js';

/**
 * What every admin controller shares: the admin guard, RFC 9457 errors, strict input
 * validation, the OpenAPI security requirement with the errors every route can answer, and
 * `m2m:admin` in the server metadata's `scopes_supported`.
 */
export function AdminApi(tag: string): ClassDecorator {
  return applyDecorators(
    ApiTags(tag),
    AdvertisedScopes(M2M_ADMIN_SCOPE),
    ApiSecurity(M2M_SECURITY_SCHEME, [M2M_ADMIN_SCOPE]),
    ApiAdminErrors(),
    UseGuards(AdminAccessGuard),
    UseFilters(ProblemDetailsFilter),
    UsePipes(adminValidationPipe()),
  );
}
