import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
  ApiBadRequestResponse,
} from '@nestjs/swagger';
import { CommandContext } from '@app/common';
import { ErrorResponse, Roles } from '@app/identity';
import { Ctx } from '@app/platform';
import { ChangeListingCommand } from '../application/commands/change-listing/change-listing.handler';
import { DraftListingCommand } from '../application/commands/draft-listing/draft-listing.handler';
import { CatalogQueries } from '../application/queries/catalog.queries';
import { ListingContent, ListingState } from '../domain/listing';
import { ApproveListingDto, BrowseQueryDto, ListingContentDto, ManageQueryDto, ReasonDto, RiskRatingChangeDto } from './listings.dto';

const view = (state: ListingState) => (state.status === 'none' ? state : { listingId: state.listingId, status: state.status, family: state.family });

@ApiTags('catalog')
@ApiBearerAuth()
@ApiBadRequestResponse({ description: 'VALIDATION.FAILED, CATALOG.PLAN_*_INVALID', type: ErrorResponse })
@Controller('catalog')
export class ListingsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: CatalogQueries,
  ) {}

  @Get('listings')
  @ApiOkResponse({ description: 'published value-added listings, newest first; advisory products are offered through the advisory flow (A5)' })
  browse(@Query() query: BrowseQueryDto) {
    return this.queries.browse({ ...query, limit: query.limit ?? 20, offset: query.offset ?? 0 });
  }

  @Get('listings/:listingId')
  @ApiOkResponse({ description: 'a published listing' })
  @ApiNotFoundResponse({ description: 'CATALOG.LISTING_NOT_FOUND', type: ErrorResponse })
  get(@Param('listingId', ParseUUIDPipe) listingId: string) {
    return this.queries.getPublished(listingId);
  }

  @Get('manage/listings')
  @Roles('product_manager', 'compliance_officer')
  @ApiOkResponse({ description: 'every listing in any status (e.g. status=submitted is the review queue)' })
  @ApiForbiddenResponse({ description: 'AUTH.ROLE_REQUIRED', type: ErrorResponse })
  manage(@Query() query: ManageQueryDto) {
    return this.queries.manage({ ...query, limit: query.limit ?? 20, offset: query.offset ?? 0 });
  }

  @Get('manage/listings/:listingId')
  @Roles('product_manager', 'compliance_officer')
  @ApiNotFoundResponse({ description: 'CATALOG.LISTING_NOT_FOUND', type: ErrorResponse })
  manageOne(@Param('listingId', ParseUUIDPipe) listingId: string) {
    return this.queries.get(listingId);
  }

  @Post('listings')
  @Roles('product_manager')
  @ApiCreatedResponse({ description: 'drafted (L1)' })
  @ApiForbiddenResponse({ description: 'AUTH.ROLE_REQUIRED, CATALOG.PRODUCT_MANAGER_REQUIRED', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({ description: 'CONTENT.PROHIBITED_PHRASE (V3), CATALOG.ADVISORY_TRIAL_NOT_ALLOWED (V2)', type: ErrorResponse })
  draft(@Body() body: ListingContentDto, @Ctx() context: CommandContext): Promise<{ listingId: string }> {
    return this.commands.execute(new DraftListingCommand(body as ListingContent, context));
  }

  @Put('listings/:listingId')
  @Roles('product_manager')
  @ApiOkResponse({ description: 'revised; back to draft, so approved or published copy goes through review again (V1)' })
  @ApiUnprocessableEntityResponse({ description: 'CONTENT.PROHIBITED_PHRASE (V3), CATALOG.INVALID_TRANSITION (L1)', type: ErrorResponse })
  async revise(@Param('listingId', ParseUUIDPipe) listingId: string, @Body() body: ListingContentDto, @Ctx() context: CommandContext) {
    return view(await this.commands.execute(new ChangeListingCommand(listingId, { type: 'ReviseListing', content: body as ListingContent }, context)));
  }

  @Post('listings/:listingId/submit')
  @HttpCode(200)
  @Roles('product_manager')
  @ApiUnprocessableEntityResponse({
    description: 'CATALOG.ADVISORY_TERMS_MISSING (L3), CATALOG.ADVISORY_FUNCTION_IN_VALUE_ADDED (V1), CONTENT.PROHIBITED_PHRASE (V3), CATALOG.INVALID_TRANSITION (L1)',
    type: ErrorResponse,
  })
  async submit(@Param('listingId', ParseUUIDPipe) listingId: string, @Ctx() context: CommandContext) {
    return view(await this.commands.execute(new ChangeListingCommand(listingId, { type: 'SubmitListing' }, context)));
  }

  @Post('listings/:listingId/approve')
  @HttpCode(200)
  @Roles('product_manager', 'compliance_officer')
  @ApiForbiddenResponse({ description: 'CATALOG.COMPLIANCE_OFFICER_REQUIRED (L2), CATALOG.REVIEWER_ROLE_REQUIRED (L2)', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({ description: 'CATALOG.MAKER_CANNOT_CHECK (L2), CATALOG.FAMILY_MISMATCH (V1), CATALOG.INVALID_TRANSITION (L1)', type: ErrorResponse })
  async approve(@Param('listingId', ParseUUIDPipe) listingId: string, @Body() body: ApproveListingDto, @Ctx() context: CommandContext) {
    return view(await this.commands.execute(new ChangeListingCommand(listingId, { type: 'ApproveListing', confirmedFamily: body.confirmedFamily, note: body.note }, context)));
  }

  @Post('listings/:listingId/reject')
  @HttpCode(200)
  @Roles('product_manager', 'compliance_officer')
  @ApiForbiddenResponse({ description: 'CATALOG.COMPLIANCE_OFFICER_REQUIRED (L2)', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({ description: 'CATALOG.MAKER_CANNOT_CHECK (L2), CATALOG.INVALID_TRANSITION (L1)', type: ErrorResponse })
  async reject(@Param('listingId', ParseUUIDPipe) listingId: string, @Body() body: ReasonDto, @Ctx() context: CommandContext) {
    return view(await this.commands.execute(new ChangeListingCommand(listingId, { type: 'RejectListing', reason: body.reason }, context)));
  }

  @Post('listings/:listingId/publish')
  @HttpCode(200)
  @Roles('product_manager')
  @ApiUnprocessableEntityResponse({ description: 'CATALOG.INVALID_TRANSITION (L1)', type: ErrorResponse })
  async publish(@Param('listingId', ParseUUIDPipe) listingId: string, @Ctx() context: CommandContext) {
    return view(await this.commands.execute(new ChangeListingCommand(listingId, { type: 'PublishListing' }, context)));
  }

  @Post('listings/:listingId/retire')
  @HttpCode(200)
  @Roles('product_manager')
  @ApiUnprocessableEntityResponse({ description: 'CATALOG.INVALID_TRANSITION (L1)', type: ErrorResponse })
  async retire(@Param('listingId', ParseUUIDPipe) listingId: string, @Body() body: ReasonDto, @Ctx() context: CommandContext) {
    return view(await this.commands.execute(new ChangeListingCommand(listingId, { type: 'RetireListing', reason: body.reason }, context)));
  }

  @Post('listings/:listingId/risk-rating-changes')
  @Roles('product_manager', 'compliance_officer')
  @ApiCreatedResponse({ description: 'submitted for compliance review (L4)' })
  @ApiConflictResponse({ description: 'CATALOG.RATING_CHANGE_PENDING', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({ description: 'CATALOG.NOT_ADVISORY (L4), CATALOG.ADVISORY_TERMS_MISSING (L3)', type: ErrorResponse })
  async requestRatingChange(@Param('listingId', ParseUUIDPipe) listingId: string, @Body() body: RiskRatingChangeDto, @Ctx() context: CommandContext) {
    const changeId = context.correlationId;
    await this.commands.execute(
      new ChangeListingCommand(listingId, { type: 'SubmitRiskRatingChange', changeId, riskLevel: body.riskLevel, riskFactors: body.riskFactors, reason: body.reason }, context),
    );
    return { listingId, changeId };
  }

  @Post('listings/:listingId/risk-rating-changes/:changeId/approve')
  @HttpCode(200)
  @Roles('compliance_officer')
  @ApiForbiddenResponse({ description: 'CATALOG.COMPLIANCE_OFFICER_REQUIRED (L2)', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({ description: 'CATALOG.MAKER_CANNOT_CHECK (L2)', type: ErrorResponse })
  async approveRatingChange(@Param('listingId', ParseUUIDPipe) listingId: string, @Param('changeId') changeId: string, @Ctx() context: CommandContext) {
    return view(await this.commands.execute(new ChangeListingCommand(listingId, { type: 'ApproveRiskRatingChange', changeId }, context)));
  }

  @Post('listings/:listingId/risk-rating-changes/:changeId/reject')
  @HttpCode(200)
  @Roles('compliance_officer')
  @ApiForbiddenResponse({ description: 'CATALOG.COMPLIANCE_OFFICER_REQUIRED (L2)', type: ErrorResponse })
  async rejectRatingChange(
    @Param('listingId', ParseUUIDPipe) listingId: string,
    @Param('changeId') changeId: string,
    @Body() body: ReasonDto,
    @Ctx() context: CommandContext,
  ) {
    return view(await this.commands.execute(new ChangeListingCommand(listingId, { type: 'RejectRiskRatingChange', changeId, reason: body.reason }, context)));
  }
}
