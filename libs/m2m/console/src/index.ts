// The console's bundle. Loading it defines the elements: <m2m-console> (the operator console)
// and <m2m-client-manager>, which a host embeds in its own pages for self-service.
import { M2mClientDetail } from './client-detail.js';
import { M2mClientManager } from './client-manager.js';
import { M2mConsole } from './console-app.js';
import { M2mClientFormDialog } from './client-form-dialog.js';
import { M2mSecretDialog } from './secret-dialog.js';
import { M2mSigningKeys } from './signing-keys.js';
import { M2mTokenRevocation } from './token-revocation.js';

const elements: [string, CustomElementConstructor][] = [
  ['m2m-secret-dialog', M2mSecretDialog],
  ['m2m-client-form-dialog', M2mClientFormDialog],
  ['m2m-client-detail', M2mClientDetail],
  ['m2m-client-manager', M2mClientManager],
  ['m2m-signing-keys', M2mSigningKeys],
  ['m2m-token-revocation', M2mTokenRevocation],
  ['m2m-console', M2mConsole],
];
for (const [name, element] of elements) {
  // A page that loads the bundle twice keeps the first definition.
  if (customElements.get(name) === undefined) customElements.define(name, element);
}

export { ApiError, M2mApi, signIn } from './api.js';
export {
  M2mClientDetail,
  M2mClientManager,
  M2mConsole,
  M2mClientFormDialog,
  M2mSecretDialog,
  M2mSigningKeys,
  M2mTokenRevocation,
};
