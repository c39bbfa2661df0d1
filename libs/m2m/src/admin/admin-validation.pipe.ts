import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ClientValidationError } from '../errors/admin.error.js';
import type { ProblemFieldError } from '../errors/problem-details.js';

function fieldErrors(errors: ValidationError[], parent = '#'): ProblemFieldError[] {
  return errors.flatMap((error) => {
    const pointer = `${parent}/${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((detail) => ({ pointer, detail }));
    return [...own, ...fieldErrors(error.children ?? [], pointer)];
  });
}

/**
 * Validates admin API input. Unknown members are rejected (they are usually typos), and every
 * failure is listed with a JSON Pointer in an RFC 9457 problem.
 */
export function adminValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ClientValidationError(fieldErrors(errors)),
  });
}
