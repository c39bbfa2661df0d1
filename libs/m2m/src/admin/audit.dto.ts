import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString } from 'class-validator';
import { M2M_AUDIT_EVENT_TYPES, type M2mAuditEvent } from '../domain/audit-event.js';

/** Query of `GET /m2m/audit-events`. */
export class AuditQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  limit?: number;

  @ApiPropertyOptional({ description: 'The `next_cursor` of the previous page.' })
  @IsOptional()
  @IsString()
  cursor?: string;

  @ApiPropertyOptional({ enum: M2M_AUDIT_EVENT_TYPES })
  @IsOptional()
  @IsIn(M2M_AUDIT_EVENT_TYPES)
  type?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  client_id?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  owner_id?: string;

  @ApiPropertyOptional({ description: 'Admin client id, owner id or client id that acted.' })
  @IsOptional()
  @IsString()
  actor_id?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  since?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  until?: string;
}

/** Who acted, in an audit event. */
export class AuditActorDto {
  @ApiProperty({ enum: ['admin', 'owner', 'client', 'cli', 'system'] })
  type!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The admin client id, the owner id or the client id; null when unknown.',
    example: 'm2mc_3q2x0JvKQy8b1dF5m9Zt6w',
  })
  id!: string | null;
}

/** An audit event. It never contains a secret or a token. */
export class AuditEventDto {
  @ApiProperty({ type: 'integer' })
  id!: number;

  @ApiProperty({ format: 'date-time' })
  occurred_at!: string;

  @ApiProperty({ enum: M2M_AUDIT_EVENT_TYPES })
  type!: string;

  @ApiProperty({ type: String, nullable: true })
  client_id!: string | null;

  @ApiProperty({ type: String, nullable: true })
  owner_id!: string | null;

  @ApiProperty({ type: AuditActorDto })
  actor!: AuditActorDto;

  @ApiProperty({ type: Object, nullable: true })
  details!: Record<string, unknown> | null;

  static from(event: M2mAuditEvent): AuditEventDto {
    return Object.assign(new AuditEventDto(), {
      id: event.id,
      occurred_at: event.occurredAt.toISOString(),
      type: event.type,
      client_id: event.clientId,
      owner_id: event.ownerId,
      actor: event.actor,
      details: event.details,
    });
  }
}

/** A page of audit events, newest first. */
export class AuditPageDto {
  @ApiProperty({ type: [AuditEventDto] })
  data!: AuditEventDto[];

  @ApiProperty({ type: String, nullable: true })
  next_cursor!: string | null;
}
