import { Controller, Get, HttpException, HttpStatus } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';

interface Health {
  status: 'ok' | 'unavailable';
  checks: { database: 'up' | 'down' };
}

/** Liveness and readiness, including the database. */
@ApiTags('Operations')
@Controller('health')
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'Liveness and readiness (200 when the database answers, else 503)' })
  async health(): Promise<Health> {
    try {
      await this.dataSource.query('SELECT 1');
      return { status: 'ok', checks: { database: 'up' } };
    } catch {
      throw new HttpException(
        { status: 'unavailable', checks: { database: 'down' } } satisfies Health,
        HttpStatus.SERVICE_UNAVAILABLE,
      );
    }
  }
}
