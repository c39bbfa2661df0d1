import type {
  M2mClientMetadata,
  M2mClientStatus,
  StoredClient,
} from '../persistence/stored-client.js';

export type {
  M2mClientMetadata,
  M2mClientStatus,
  M2mMetadataValue,
} from '../persistence/stored-client.js';

/** A client as the services return it: every stored field but the secret hash. */
export type M2mClientView = Omit<StoredClient, 'secretHash'>;

/** The result of creating a client: the only time the secret is ever returned. */
export interface M2mCreatedClient extends M2mClientView {
  clientSecret: string;
}

/** Input of `ClientsService.create`. */
export interface M2mCreateClientInput {
  clientName: string;
  description?: string | null;
  scopes: string[];
  metadata?: M2mClientMetadata | null;
  /** `undefined` takes the configured default lifetime; `null` asks for no expiry. */
  expiresAt?: Date | null;
}

/** Input of `ClientsService.update`: only the fields present change. */
export interface M2mUpdateClientInput {
  clientName?: string;
  description?: string | null;
  scopes?: string[];
  metadata?: M2mClientMetadata | null;
  status?: M2mClientStatus;
  expiresAt?: Date | null;
}

/** Query of `ClientsService.list`. */
export interface M2mListClientsQuery {
  /** Page size, 1 to 100. @default 20 */
  limit?: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
  status?: M2mClientStatus;
}

/** One page of clients. */
export interface M2mClientPage {
  data: M2mClientView[];
  /** Cursor of the next page, or null on the last page. */
  nextCursor: string | null;
}
