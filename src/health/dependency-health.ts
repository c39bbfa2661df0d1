import { Logger } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';

/**
 * How long each dependency check may take, in ms. Probes (load balancers, Kubernetes) give up
 * after a few seconds; a check must answer before that, whatever the dependency does.
 */
export const HEALTH_CHECK_TIMEOUT_MS = 1500;

/** What a failed check says publicly: the cause (addresses, driver messages) stays in the log. */
export const UNAVAILABLE = 'unavailable';

/**
 * The state of one dependency across checks. It turns a terminus result into the public one and
 * logs the cause once when the dependency goes down and once when it is back, rather than at
 * every probe.
 */
export class DependencyHealth<Key extends string> {
  private readonly logger = new Logger('Health');
  private down = false;

  constructor(
    private readonly key: Key,
    private readonly label: string,
  ) {}

  /** The public form of `result`: a down dependency carries no driver message. */
  publish(result: HealthIndicatorResult<Key>): HealthIndicatorResult<Key> {
    const detail = result[this.key];
    if (detail.status === 'down') {
      const cause = typeof detail['message'] === 'string' ? detail['message'] : 'no cause given';
      if (!this.down) this.logger.warn(`${this.label} is not answering: ${cause}`);
      this.down = true;
      // terminus's own timeout message says nothing internal; any other is the driver's.
      const published = { ...result };
      published[this.key] = {
        ...detail,
        message: cause === timeoutMessage() ? cause : UNAVAILABLE,
      };
      return published;
    }
    if (this.down) this.logger.log(`${this.label} is answering again`);
    this.down = false;
    return result;
  }
}

/** The message terminus gives a check that exceeded {@link HEALTH_CHECK_TIMEOUT_MS}. */
function timeoutMessage(): string {
  return `timeout of ${HEALTH_CHECK_TIMEOUT_MS}ms exceeded`;
}
