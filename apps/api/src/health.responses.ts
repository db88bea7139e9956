import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class DatabaseHealth {
  @ApiProperty({ enum: ['up', 'down'] }) status: string;
  @ApiPropertyOptional() latencyMs?: number;
}

export class ProjectionLag {
  @ApiProperty({ example: 'catalog.listings' }) name: string;
  @ApiProperty({ description: 'events not yet applied (capped)' }) behind: number;
}

export class HealthResponse {
  @ApiProperty({ enum: ['ok', 'degraded', 'unavailable'] }) status: string;
  @ApiProperty({ type: DatabaseHealth }) database: DatabaseHealth;
  @ApiPropertyOptional({ type: [ProjectionLag] }) projections?: ProjectionLag[];
}

export class LiveResponse {
  @ApiProperty({ enum: ['ok'] }) status: string;
}

export class ReadinessCheck {
  @ApiProperty() ready: boolean;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) details?: Record<string, unknown>;
  @ApiPropertyOptional() error?: string;
}

export class ReadyResponse {
  @ApiProperty({ enum: ['ready', 'draining', 'not_ready'] }) status: string;
  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/ReadinessCheck' }, description: 'per check name' })
  checks: Record<string, ReadinessCheck>;
}
