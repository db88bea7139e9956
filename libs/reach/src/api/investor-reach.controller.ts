/** The investor's side of reach: the in-app inbox, consent per channel (G1), and the one-tap unsubscribe link. */
import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CommandContext, invalid } from '@app/common';
import { ErrorResponse, Public, Roles } from '@app/identity';
import { Ctx } from '@app/platform';
import { SetChannelConsentCommand } from '../application/commands/consent.handler';
import { OpenMessageCommand } from '../application/commands/message.handlers';
import { ReachQueries } from '../application/reach.queries';
import { UnsubscribeTokens } from '../application/unsubscribe-tokens';
import { CHANNELS, isChannel } from '../domain';
import { ConsentDto, ConsentResponse, ConsentsResponse, InboxResponse, OpenedResponse, PageQueryDto, UnsubscribeDto } from './reach.dto';

@ApiTags('reach')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'AUTH.UNAUTHENTICATED', type: ErrorResponse })
@ApiForbiddenResponse({ description: 'AUTH.ROLE_REQUIRED', type: ErrorResponse })
@Roles('investor')
@Controller('me')
export class InvestorReachController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: ReachQueries,
  ) {}

  @Get('inbox')
  @ApiOperation({ summary: 'Your in-app messages, newest first' })
  @ApiOkResponse({ type: InboxResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION.FAILED, REACH.CURSOR_INVALID', type: ErrorResponse })
  inbox(@Query() query: PageQueryDto, @Ctx() context: CommandContext) {
    return this.queries.inbox(context.actor.id, query.cursor, query.limit ?? 50);
  }

  @Post('inbox/:messageId/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark a message read (counted as opened in its campaign’s report)' })
  @ApiOkResponse({ type: OpenedResponse })
  @ApiNotFoundResponse({ description: 'REACH.MESSAGE_NOT_FOUND', type: ErrorResponse })
  async read(@Param('messageId') messageId: string, @Ctx() context: CommandContext) {
    const message = await this.queries.inboxMessage(context.actor.id, messageId);
    return this.commands.execute(new OpenMessageCommand(message.messageId, context.actor.id, message.campaignId, context));
  }

  @Get('reach/consents')
  @ApiOperation({ summary: 'Your consent per channel (G1), with each channel’s unsubscribe token' })
  @ApiOkResponse({ type: ConsentsResponse })
  consents(@Ctx() context: CommandContext) {
    return this.queries.consents(context.actor.id);
  }

  @Put('reach/consents/:channel')
  @ApiOperation({ summary: 'Opt in to or out of messages on a channel (G1)' })
  @ApiParam({ name: 'channel', enum: CHANNELS })
  @ApiOkResponse({ type: ConsentResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION.FAILED, REACH.CHANNEL_UNKNOWN', type: ErrorResponse })
  setConsent(@Param('channel') channel: string, @Body() body: ConsentDto, @Ctx() context: CommandContext) {
    if (!isChannel(channel)) throw invalid('REACH.CHANNEL_UNKNOWN', `channels are ${CHANNELS.join(', ')}`);
    return this.commands.execute(new SetChannelConsentCommand(context.actor.id, channel, body.granted, 'settings', context));
  }
}

@ApiTags('reach')
@Controller('reach')
export class UnsubscribeController {
  constructor(
    private readonly commands: CommandBus,
    private readonly tokens: UnsubscribeTokens,
  ) {}

  @Public()
  @Post('unsubscribe')
  @HttpCode(200)
  @ApiOperation({ summary: 'One-tap unsubscribe (G1): withdraws consent to the link’s channel, without login' })
  @ApiOkResponse({ type: ConsentResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION.FAILED, REACH.UNSUBSCRIBE_TOKEN_INVALID (G1)', type: ErrorResponse })
  unsubscribe(@Body() body: UnsubscribeDto, @Ctx() context: CommandContext) {
    const { investorId, channel } = this.tokens.verify(body.token);
    return this.commands.execute(
      new SetChannelConsentCommand(investorId, channel, false, 'unsubscribe_link', {
        ...context,
        actor: { id: investorId, roles: ['unsubscribe_link'] },
      }),
    );
  }
}
