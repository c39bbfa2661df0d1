import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { M2mModuleExtras } from './options/module-extras.js';
import type { M2mModuleOptions } from './options/module-options.js';
import { shapeM2mModule } from './m2m.module-shape.js';
import { M2M_MODULE_OPTIONS } from './m2m.module-options-token.js';

export const {
  ConfigurableModuleClass: ConfigurableM2mModule,
  OPTIONS_TYPE: M2M_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: M2M_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<M2mModuleOptions>({ optionsInjectionToken: M2M_MODULE_OPTIONS })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createM2mOptions')
  .setExtras<M2mModuleExtras>(
    {
      isGlobal: false,
      admin: true,
      adminGuard: undefined,
      dataSource: undefined,
      ownerApi: undefined,
      metrics: false,
      console: false,
    },
    (definition, extras) => shapeM2mModule(definition, extras),
  )
  .build();
