import { applyDecorators, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import {
  ApiForbiddenResponse,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ProblemDetailsFilter } from '../errors/problem-details.filter.js';
import { AdminAccessGuard } from '../guards/admin-access.guard.js';
import { M2M_ADMIN_SCOPE, M2M_SECURITY_SCHEME } from '../m2m.constants.js';
import { adminValidationPipe } from './admin-validation.pipe.js';
import { ProblemDetailsDto } from './client.dto.js';

/**
 * What every admin controller shares: the admin guard, RFC 9457 errors, strict input
 * validation, and the OpenAPI security requirement with its 401 and 403.
 */
export function AdminApi(tag: string): ClassDecorator {
  return applyDecorators(
    ApiTags(tag),
    ApiSecurity(M2M_SECURITY_SCHEME, [M2M_ADMIN_SCOPE]),
    ApiUnauthorizedResponse({
      description: 'Missing or invalid access token.',
      type: ProblemDetailsDto,
    }),
    ApiForbiddenResponse({
      description: `The token lacks the ${M2M_ADMIN_SCOPE} scope.`,
      type: ProblemDetailsDto,
    }),
    UseGuards(AdminAccessGuard),
    UseFilters(ProblemDetailsFilter),
    UsePipes(adminValidationPipe()),
  );
}
