import { applyDecorators, Controller, Get, Header, Inject, Req, type Type } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { M2M_CONSOLE_ASSETS } from '../m2m.internal-constants.js';
import type { ConsoleAssets } from './console-assets.js';
import { CONSOLE_CSP, CONSOLE_ICON, consolePage } from './console-page.js';

/**
 * Headers of the console's files: their type, revalidated on each load (a new package version
 * is picked up at once), never sniffed, and not for other origins.
 */
function AssetHeaders(contentType: string): MethodDecorator {
  return applyDecorators(
    Header('Content-Type', contentType),
    Header('Cache-Control', 'no-cache'),
    Header('X-Content-Type-Options', 'nosniff'),
    Header('Cross-Origin-Resource-Policy', 'same-origin'),
  );
}

/** What both adapters' requests have: the path the browser asked for. */
interface ConsoleRequest {
  originalUrl?: string;
  url: string;
}

/**
 * The controller that serves the console at `path`: the page and its two files. It reads no
 * data itself; the page calls the admin API (or the owner API) like any other client.
 */
export function consoleController(path: string): Type<unknown> {
  @ApiExcludeController()
  @Controller(path)
  class M2mConsoleController {
    constructor(@Inject(M2M_CONSOLE_ASSETS) private readonly assets: ConsoleAssets) {}

    @Get()
    @Header('Content-Type', 'text/html; charset=utf-8')
    @Header('Content-Security-Policy', CONSOLE_CSP)
    @Header('Cache-Control', 'no-store')
    @Header('X-Content-Type-Options', 'nosniff')
    @Header('X-Frame-Options', 'DENY')
    @Header('Referrer-Policy', 'no-referrer')
    @Header('Cross-Origin-Opener-Policy', 'same-origin')
    page(@Req() request: ConsoleRequest): string {
      return consolePage(request.originalUrl ?? request.url, path);
    }

    @Get('assets/m2m-console.js')
    @AssetHeaders('text/javascript; charset=utf-8')
    script(): string {
      return this.assets.script;
    }

    @Get('assets/m2m-console.svg')
    @AssetHeaders('image/svg+xml')
    icon(): string {
      return CONSOLE_ICON;
    }

    @Get('assets/m2m-console.css')
    @AssetHeaders('text/css; charset=utf-8')
    styles(): string {
      return this.assets.styles;
    }
  }
  return M2mConsoleController;
}
