import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { M2mTokenClientOptions } from '../options/token-client.options.js';
import { M2M_TOKEN_CLIENT_OPTIONS } from './m2m-token-client.constants.js';

/** Options that shape the module itself, given to `forRoot` / `forRootAsync` directly. */
export interface M2mTokenClientModuleExtras {
  /**
   * Provide the client and the fetch to every module, not only to those that import this one.
   * @default false
   */
  isGlobal?: boolean;
}

export const {
  ConfigurableModuleClass: ConfigurableM2mTokenClientModule,
  OPTIONS_TYPE: M2M_TOKEN_CLIENT_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: M2M_TOKEN_CLIENT_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<M2mTokenClientOptions>({
  optionsInjectionToken: M2M_TOKEN_CLIENT_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createM2mTokenClientOptions')
  .setExtras<M2mTokenClientModuleExtras>({ isGlobal: false }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal ?? false,
  }))
  .build();
