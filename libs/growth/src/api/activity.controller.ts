/** The investor's own side of growth data (G7): the analytics consent, and the app's batched activity ingest. */
import { Body, Controller, HttpCode, Post, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { CommandContext } from '@app/common';
import { ErrorResponse, Roles } from '@app/identity';
import { Ctx } from '@app/platform';
import { AnalyticsConsentAnswer, ChangeAnalyticsConsentCommand } from '../application/commands/analytics-consent.handler';
import { PgActivitySink } from '../infrastructure/pg-activity-sink';
import { ActivityBatchDto, ActivityIngestResponse, AnalyticsConsentDto, AnalyticsConsentResponse } from './growth.dto';

@ApiTags('growth')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'AUTH.UNAUTHENTICATED', type: ErrorResponse })
@ApiForbiddenResponse({ description: 'AUTH.ROLE_REQUIRED', type: ErrorResponse })
@Controller('me')
export class ActivityController {
  constructor(
    private readonly commands: CommandBus,
    private readonly sink: PgActivitySink,
  ) {}

  @Roles('investor')
  @Put('analytics-consent')
  @ApiOperation({ summary: 'Give or withdraw your consent to analytics of your activity (G7); withdrawing erases the activity collected' })
  @ApiOkResponse({ type: AnalyticsConsentResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION.FAILED', type: ErrorResponse })
  consent(@Body() body: AnalyticsConsentDto, @Ctx() context: CommandContext): Promise<AnalyticsConsentAnswer> {
    return this.commands.execute(new ChangeAnalyticsConsentCommand(context.actor.id, body.given, context));
  }

  @Roles('investor')
  @Post('activity')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Record a batch of your app activity (up to 500 events). Kept only under your analytics consent (G7), for the retention period; ' +
      'a resend of an event (same clientEventId and at) is recorded once. Not part of the audit log.',
  })
  @ApiOkResponse({ type: ActivityIngestResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION.FAILED', type: ErrorResponse })
  async ingest(@Body() body: ActivityBatchDto, @Ctx() context: CommandContext): Promise<ActivityIngestResponse> {
    const outcome = await this.sink.record(
      body.events.map((event) => ({
        investorId: context.actor.id,
        type: event.type,
        at: new Date(event.at),
        clientEventId: event.clientEventId,
        properties: { ...(event.listingId ? { listingId: event.listingId } : {}), ...(event.productKind ? { productKind: event.productKind } : {}) },
      })),
    );
    return {
      received: body.events.length,
      recorded: outcome.recorded,
      duplicates: outcome.duplicates,
      withoutConsent: outcome.withoutConsent,
      outsideRetention: outcome.outsideRetention,
    };
  }
}
