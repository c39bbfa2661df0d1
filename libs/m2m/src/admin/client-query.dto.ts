import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import type { M2mClientStatus } from '../domain/client.js';
import { IsDateTime } from './dto-validation.decorator.js';

/** Query of `GET /m2m/clients`. */
export class ListClientsQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  limit?: number;

  @ApiPropertyOptional({ description: 'The `next_cursor` of the previous page.' })
  @IsOptional()
  @IsString()
  cursor?: string;

  @ApiPropertyOptional({ enum: ['active', 'disabled'] })
  @IsOptional()
  @IsIn(['active', 'disabled'])
  status?: M2mClientStatus;

  @ApiPropertyOptional({ description: 'Only clients of this owner.' })
  @IsOptional()
  @IsString()
  owner_id?: string;

  @ApiPropertyOptional({ description: 'Only clients allowed this scope.' })
  @IsOptional()
  @IsString()
  scope?: string;

  @ApiPropertyOptional({
    description: 'Only clients whose name starts with this (case-sensitive).',
  })
  @IsOptional()
  @IsString()
  name_prefix?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Only clients that expire at or before this instant.',
  })
  @IsOptional()
  @IsDateTime()
  expires_before?: string;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 3660,
    description: 'Only clients that expire within this many days.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3660)
  expires_within_days?: number;
}
