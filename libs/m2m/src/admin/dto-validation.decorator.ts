import { applyDecorators } from '@nestjs/common';
import { IsISO8601, IsOptional, ValidateIf } from 'class-validator';

/** The member may be absent or null; the other validators check any other value. */
export function IsOptionalOrNull(): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    ValidateIf((_dto, value) => value !== null),
  );
}

/** An ISO 8601 date-time, strictly: a real calendar date and a `T` between date and time. */
export function IsDateTime(): PropertyDecorator {
  return IsISO8601({ strict: true, strictSeparator: true });
}
