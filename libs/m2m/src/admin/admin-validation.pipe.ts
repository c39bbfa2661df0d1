import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { ClientValidationError } from '../errors/admin.error.js';
import type { ProblemFieldError } from '../errors/problem-details.js';

function fieldErrors(errors: ValidationError[], parent = '#'): ProblemFieldError[] {
  return errors.flatMap((error) => {
    const pointer = `${parent}/${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((detail) => ({ pointer, detail }));
    return [...own, ...fieldErrors(error.children ?? [], pointer)];
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The admin API's validation pipe. The `metadata` member is a free-form object: class-transformer
 * would copy it member by member, losing (or tripping over) keys such as `__proto__` and
 * `constructor`. So it goes through the pipe as an empty stand-in, which keeps its type checks,
 * and is put back exactly as parsed; the registry then checks every key, refusing reserved ones
 * by name.
 */
class AdminValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // class-transformer skips members named after Object.prototype's (`constructor`, `valueOf`,
    // `__proto__`, …), so the whitelist would never see them: they are refused here.
    const inherited = isPlainObject(value)
      ? Object.keys(value).filter(
          (key) => key === '__proto__' || key === 'prototype' || key in Object.prototype,
        )
      : [];
    if (inherited.length > 0) {
      throw new ClientValidationError(
        inherited.map((key) => ({
          pointer: `#/${key}`,
          detail: `property ${key} should not exist`,
        })),
      );
    }
    if (!isPlainObject(value) || !isPlainObject(value['metadata'])) {
      return super.transform(value, metadata);
    }
    const raw = value['metadata'];
    const result = (await super.transform({ ...value, metadata: {} }, metadata)) as Record<
      string,
      unknown
    >;
    result['metadata'] = raw;
    return result;
  }
}

/**
 * Validates admin API input. Unknown members are rejected (they are usually typos), and every
 * failure is listed with a JSON Pointer in an RFC 9457 problem.
 */
export function adminValidationPipe(): ValidationPipe {
  return new AdminValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ClientValidationError(fieldErrors(errors)),
  });
}
