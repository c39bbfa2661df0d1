import { Controller, Get, Header, type Type } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { M2mMetrics } from './m2m-metrics.js';
import { M2mPrometheusMetrics } from './prometheus-metrics.js';

/** The controller that serves the Prometheus text format at `path`. */
export function metricsController(path: string): Type<unknown> {
  @ApiTags('Operations')
  @Controller(path)
  class M2mMetricsController {
    constructor(private readonly metrics: M2mMetrics) {}

    @Get()
    @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
    @Header('Cache-Control', 'no-store')
    @ApiOperation({ summary: 'Prometheus metrics of the M2M module (text exposition format)' })
    @ApiOkResponse({ description: 'text/plain; version=0.0.4' })
    scrape(): Promise<string> {
      return (this.metrics as M2mPrometheusMetrics).registry.metrics();
    }
  }
  return M2mMetricsController;
}
