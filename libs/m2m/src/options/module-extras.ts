import type { CanActivate, Type } from '@nestjs/common';
import type { M2mSecretHasher } from '../domain/secret-hasher.js';

/** Options of the Prometheus metrics (the `metrics` module option). */
export interface M2mMetricsOptions {
  /** Route of the Prometheus text endpoint. @default 'metrics' */
  path?: string;
  /**
   * Add a `client_id` label to the request counter for successful requests. The number of
   * series then grows with the number of clients: turn it on only for small fleets.
   * @default false
   */
  clientLabels?: boolean;
  /** Also export Node.js process metrics (memory, CPU, event loop). @default true */
  processMetrics?: boolean;
}

/** Options of the web console (the `console` module option). */
export interface M2mConsoleOptions {
  /** Route of the console page; its files are served under `<path>/assets/`. @default 'm2m/console' */
  path?: string;
}

/** Options that change the shape of the module; given to `forRoot` / `forRootAsync` directly. */
export interface M2mModuleExtras {
  /** Register the module globally, so that guards work in every module. @default false */
  isGlobal?: boolean;
  /** Mount the admin API controller (`/m2m/clients`). @default true */
  admin?: boolean;
  /**
   * Guard class that protects the admin API instead of the default (a bearer token with the
   * `m2m:admin` scope). It is taken from the host's providers when registered there, otherwise
   * instantiated with the module's providers.
   */
  adminGuard?: Type<CanActivate>;
  /** Name of the TypeORM data source the module uses. @default the default data source */
  dataSource?: string;
  /**
   * Class that hashes and verifies client secrets instead of bcrypt (cost 12). It must still
   * verify the hashes already stored (`$2b$…`, e.g. with bcrypt's `compare`). The module
   * instantiates it (it may inject the module's providers).
   */
  secretHasher?: Type<M2mSecretHasher>;
  /**
   * Mount the owner API (`/m2m/owner/clients`): "manage my own clients" for the host's users
   * or tenants. `guard` authenticates them and must put their owner id in
   * `request.m2mOwnerId`; `scopes` are the scopes an owner may give its clients.
   */
  ownerApi?: M2mOwnerApiOptions;
  /**
   * Serve Prometheus metrics of the hot paths (requests by outcome, latency, cache hit ratios,
   * the verification queue, limits, guard rejections) at `path`. Off by default; protect the
   * route (or keep it on an internal network) as you would any metrics endpoint.
   * @example { path: 'metrics' }
   */
  metrics?: boolean | M2mMetricsOptions;
  /**
   * Serve the web console at `path`: operators sign in with an admin client's id and secret,
   * and the page calls the admin API with the token it gets. The same files hold the
   * `<m2m-client-manager>` element that a host embeds in its own pages for self-service over
   * the owner API. Off by default.
   * @example { path: 'm2m/console' }
   */
  console?: boolean | M2mConsoleOptions;
}

/** The owner API's guard and policy. */
export interface M2mOwnerApiOptions {
  guard: Type<CanActivate>;
  /** The scopes an owner may give its clients. */
  scopes: string[];
  /**
   * The audiences (keys of `resources`) an owner may give its clients; none unless listed, as
   * with scopes: a tenant never grants itself access to another API.
   * @default []
   */
  audiences?: string[];
}
