import { M2mTokenClient, type M2mFetch } from 'nestjs-m2m-client';

/** The reports the demo API lists (`GET /demo/reports`). */
export interface ReportList {
  data: { id: string; title: string; status: string }[];
  requested_by: string;
}

/** Where the job finds the authorization server, the API and its credentials. */
export interface ReportingJobConfig {
  issuer: string;
  apiUrl: string;
  clientId: string;
  clientSecret: string;
}

/**
 * Reads the job's settings: `M2M_ISSUER` (default http://localhost:3000), `REPORTS_API_URL`
 * (default the issuer, where the example server serves its demo API), `CLIENT_ID` and
 * `CLIENT_SECRET` (a client with `reports:read`).
 */
export function reportingJobConfig(env: NodeJS.ProcessEnv): ReportingJobConfig {
  const missing = ['CLIENT_ID', 'CLIENT_SECRET'].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(
      `Set ${missing.join(' and ')}: the credentials of a client with reports:read (npm run m2m -- clients create --name reporting-job --scopes reports:read --json).`,
    );
  }
  const issuer = env['M2M_ISSUER'] || 'http://localhost:3000';
  return {
    issuer,
    apiUrl: env['REPORTS_API_URL'] || issuer,
    clientId: env['CLIENT_ID']!,
    clientSecret: env['CLIENT_SECRET']!,
  };
}

/**
 * A background job of a calling service: it lists the reports through the SDK, which discovers
 * the token endpoint, gets and caches the token, and attaches it.
 */
export async function runReportingJob(
  config: ReportingJobConfig,
  fetchFn?: M2mFetch,
): Promise<ReportList> {
  const client = new M2mTokenClient({
    issuer: config.issuer,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    scopes: ['reports:read'],
    ...(fetchFn === undefined ? {} : { fetch: fetchFn }),
  });
  const response = await client.fetch(new URL('/demo/reports', config.apiUrl));
  if (!response.ok) {
    throw new Error(`GET /demo/reports answered ${response.status}: ${await response.text()}`);
  }
  return (await response.json()) as ReportList;
}
