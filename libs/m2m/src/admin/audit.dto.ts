import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
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

/** Query of `GET /m2m/owner/clients/{client_id}/audit-events`: the paging of the audit log. */
export class OwnerAuditQueryDto extends PickType(AuditQueryDto, ['limit', 'cursor'] as const) {}

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

  /**
   * The event as an owner sees it: which operator or machine acted on its client is the
   * server's business, so admin and CLI actors keep their type but lose their id.
   */
  static forOwner(event: M2mAuditEvent): AuditEventDto {
    const dto = AuditEventDto.from(event);
    return event.actor.type === 'admin' || event.actor.type === 'cli'
      ? Object.assign(dto, { actor: { type: event.actor.type, id: null } })
      : dto;
  }
}

/** A page of audit events, newest first. */
export class AuditPageDto {
  @ApiProperty({ type: [AuditEventDto] })
  data!: AuditEventDto[];

  @ApiProperty({ type: String, nullable: true })
  next_cursor!: string | null;
}
