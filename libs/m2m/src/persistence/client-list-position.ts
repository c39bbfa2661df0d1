/** Position after which a list page starts (keyset pagination on `created_at`, `client_id`). */
export interface ClientListPosition {
  createdAt: Date;
  clientId: string;
}
