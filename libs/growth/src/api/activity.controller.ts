/** The investor's own side of growth data (G7): the analytics consent, and the app's batched activity ingest. */
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CommandContext } from '@app/common';
import { ErrorResponse, Roles } from '@app/identity';
import { AggregateStore, Ctx } from '@app/platform';
import { AnalyticsConsentAnswer, ChangeAnalyticsConsentCommand } from '../application/commands/analytics-consent.handler';
import { analyticsConsentDecider, analyticsConsentStreamId } from '../domain/analytics-consent';
import { CompleteLessonCommand } from '../application/commands/complete-lesson.handler';
import { LearningPath, LearningPathQuery } from '../application/learning-path';
import { PgActivitySink } from '../infrastructure/pg-activity-sink';
import {
  ActivityBatchDto,
  ActivityIngestResponse,
  AnalyticsConsentDto,
  AnalyticsConsentResponse,
  LearningPathResponse,
  LessonsCompletedResponse,
} from './growth.dto';

@ApiTags('growth')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'AUTH.UNAUTHENTICATED', type: ErrorResponse })
@ApiForbiddenResponse({ description: 'AUTH.ROLE_REQUIRED', type: ErrorResponse })
@Controller('me')
export class ActivityController {
  constructor(
    private readonly commands: CommandBus,
    private readonly sink: PgActivitySink,
    private readonly learningPath: LearningPathQuery,
    private readonly aggregates: AggregateStore,
  ) {}

  @Roles('investor')
  @Post('lessons/:lessonId/completion')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record a lesson (a course listing) as completed: education before products (G8); completing it again changes nothing',
  })
  @ApiOkResponse({ type: LessonsCompletedResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION.FAILED (the lesson id is a UUID)', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'GROWTH.LESSON_NOT_FOUND: the id is not a course listing of the catalog', type: ErrorResponse })
  completeLesson(
    @Param('lessonId', ParseUUIDPipe) lessonId: string,
    @Ctx() context: CommandContext,
  ): Promise<{ completedLessons: readonly string[] }> {
    return this.commands.execute(new CompleteLessonCommand(lessonId, context));
  }

  @Roles('investor')
  @Get('learning-path')
  @ApiOperation({
    summary:
      'Your learning path: the lessons products on sale require (those unlocking the most first), what each unlocks, and which you completed',
  })
  @ApiOkResponse({ type: LearningPathResponse })
  path(@Ctx() context: CommandContext): Promise<LearningPath> {
    return this.learningPath.of(context.actor.id);
  }

  @Roles('investor')
  @Get('analytics-consent')
  @ApiOperation({ summary: 'Your analytics consent now (G7): given, withdrawn or never asked, and since when' })
  @ApiOkResponse({ type: AnalyticsConsentResponse })
  async consentNow(@Ctx() context: CommandContext): Promise<AnalyticsConsentAnswer> {
    // From the consent's own stream, not a read model: the answer reflects a change the investor has just made.
    const investorId = context.actor.id;
    const { state } = await this.aggregates.load(analyticsConsentDecider, analyticsConsentStreamId(investorId));
    return { investorId, analytics: state.status, since: state.status === 'never_asked' ? null : state.since };
  }

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
        properties: {
          ...(event.listingId ? { listingId: event.listingId } : {}),
          ...(event.productKind ? { productKind: event.productKind } : {}),
        },
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
