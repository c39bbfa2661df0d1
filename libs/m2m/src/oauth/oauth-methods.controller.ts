import { Controller, Delete, Get, Options, Patch, Put, Req, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { OAuthExceptionFilter } from '../http/oauth-exception.filter.js';
import { MethodNotAllowedError } from '../errors/oauth.error.js';
import { INTROSPECTION_PATH, REVOCATION_PATH, TOKEN_PATH } from '../domain/endpoint-paths.js';

const PATHS = [TOKEN_PATH, INTROSPECTION_PATH, REVOCATION_PATH];

/** The endpoint a request went to, as the 405 answer names it. */
function endpointOf(request: { url?: string; originalUrl?: string }): string {
  const path = (request.originalUrl ?? request.url ?? '').split('?', 1)[0]!.replace(/^\/+/, '');
  if (path.startsWith(INTROSPECTION_PATH)) return 'The introspection endpoint';
  if (path.startsWith(REVOCATION_PATH)) return 'The revocation endpoint';
  return 'The token endpoint';
}

function refuse(request: { url?: string; originalUrl?: string }): never {
  throw new MethodNotAllowedError(['POST'], endpointOf(request));
}

/**
 * RFC 6749 §3.2, RFC 7662 §2.1 and RFC 7009 §2.1: the token, introspection and revocation
 * endpoints take POST only; other methods get 405 with `Allow: POST`. One route per method (not
 * a catch-all beside the POST route, which Fastify refuses as a duplicate). HEAD follows GET.
 */
@ApiExcludeController()
@Controller()
@UseFilters(OAuthExceptionFilter)
export class OAuthMethodsController {
  @Get(PATHS)
  get(@Req() request: object): never {
    refuse(request);
  }

  @Put(PATHS)
  put(@Req() request: object): never {
    refuse(request);
  }

  @Patch(PATHS)
  patch(@Req() request: object): never {
    refuse(request);
  }

  @Delete(PATHS)
  delete(@Req() request: object): never {
    refuse(request);
  }

  @Options(PATHS)
  options(@Req() request: object): never {
    refuse(request);
  }
}
