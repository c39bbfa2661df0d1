export { M2mTokenClient, type M2mTokenRequestOptions } from './token-client.js';
export type {
  M2mClientAuthMethod,
  M2mFetch,
  M2mRetryOptions,
  M2mTokenClientOptions,
} from './options/token-client.options.js';
export {
  M2mClientError,
  M2mConfigurationError,
  M2mNetworkError,
  M2mOAuthError,
  M2mResponseError,
} from './errors/m2m-client.error.js';
