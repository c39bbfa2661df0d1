import { reportingJobConfig, runReportingJob } from './reporting-job.js';

/**
 * The example's reporting job: prints the demo API's reports as JSON. See
 * docs/calling-apis.md; `npm run reporting-job` with CLIENT_ID and CLIENT_SECRET set.
 */
async function main(): Promise<void> {
  const reports = await runReportingJob(reportingJobConfig(process.env));
  process.stdout.write(`${JSON.stringify(reports)}\n`);
}

main().catch((error: unknown) => {
  console.error(`Reporting job failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
