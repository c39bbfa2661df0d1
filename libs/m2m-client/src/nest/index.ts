export { M2M_FETCH, M2M_TOKEN_CLIENT_OPTIONS } from './m2m-token-client.constants.js';
export {
  InjectM2mFetch,
  M2mTokenClientModule,
  type M2mAuthorizedFetch,
} from './m2m-token-client.module.js';
export type { M2mTokenClientModuleExtras } from './m2m-token-client.module-definition.js';
