import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ownerIdOf } from '../guards/owner-access.guard.js';

/** The owner the host's guard identified (the owner access guard guarantees there is one). */
export const OwnerId = createParamDecorator((_data: unknown, context: ExecutionContext): string =>
  ownerIdOf(context.switchToHttp().getRequest<Record<string, unknown>>())!,
);
