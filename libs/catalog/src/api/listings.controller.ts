import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext } from '@app/common';
import { Roles } from '@app/identity';
import { ApiErrors, Ctx } from '@app/platform';
import { ChangeListingCommand } from '../application/commands/change-listing/change-listing.handler';
import { DraftListingCommand } from '../application/commands/draft-listing/draft-listing.handler';
import { CatalogQueries } from '../application/queries/catalog.queries';
import { ListingContent, ListingState } from '../domain/listing';
import { ApproveListingDto, BrowseQueryDto, ListingContentDto, ManageQueryDto, ReasonDto, RiskRatingChangeDto } from './listings.dto';
import {
  ListingCreatedResponse,
  ListingPage,
  ListingResponse,
  ListingStatusResponse,
  PublicListingPage,
  PublicListingResponse,
  RatingChangeCreatedResponse,
} from './listings.responses';

const CONTENT_INVALID = [
  'CATALOG.UNKNOWN_KIND, CATALOG.TITLE_REQUIRED, CATALOG.PLAN_REQUIRED, CATALOG.DUPLICATE_PLAN: the content is incomplete',
  'CATALOG.PLAN_PRICE_INVALID, CATALOG.PLAN_CURRENCY_INVALID, CATALOG.PLAN_PERIOD_INVALID, CATALOG.PLAN_TRIAL_INVALID: a plan is invalid',
];
const TRANSITION = "CATALOG.INVALID_TRANSITION (L1): not possible in the listing's status (or no such listing)";
const COPY = 'CONTENT.PROHIBITED_PHRASE (V3): the copy contains a prohibited phrase (`details` says which and why)';
const MAKER_CHECKER = 'CATALOG.MAKER_CANNOT_CHECK (L2): the maker cannot also check';

const view = (state: ListingState) =>
  state.status === 'none' ? state : { listingId: state.listingId, status: state.status, family: state.family };

@ApiTags('catalog')
@Controller('catalog')
export class ListingsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: CatalogQueries,
  ) {}

  @Get('listings')
  @ApiOperation({ summary: 'Browse published value-added listings' })
  @ApiOkResponse({
    description: 'published value-added listings, newest first; advisory products are offered through the advisory flow (A5)',
    type: PublicListingPage,
  })
  browse(@Query() query: BrowseQueryDto) {
    return this.queries.browse({ ...query, limit: query.limit ?? 20, offset: query.offset ?? 0 });
  }

  @Get('listings/:listingId')
  @ApiOperation({ summary: 'A published listing' })
  @ApiOkResponse({ description: 'a published listing', type: PublicListingResponse })
  @ApiErrors({ 404: ['CATALOG.LISTING_NOT_FOUND: no published listing with this id'] })
  get(@Param('listingId', ParseUUIDPipe) listingId: string) {
    return this.queries.getPublished(listingId);
  }

  @Get('manage/listings')
  @Roles('product_manager', 'compliance_officer')
  @ApiOperation({ summary: 'Listings in any status (the review queue is status=submitted)' })
  @ApiOkResponse({ description: 'every listing in any status, last changed first', type: ListingPage })
  manage(@Query() query: ManageQueryDto) {
    return this.queries.manage({ ...query, limit: query.limit ?? 20, offset: query.offset ?? 0 });
  }

  @Get('manage/listings/:listingId')
  @Roles('product_manager', 'compliance_officer')
  @ApiOperation({ summary: 'A listing in any status, with its review trail' })
  @ApiOkResponse({ type: ListingResponse })
  @ApiErrors({ 404: ['CATALOG.LISTING_NOT_FOUND: no such listing'] })
  manageOne(@Param('listingId', ParseUUIDPipe) listingId: string) {
    return this.queries.get(listingId);
  }

  @Post('listings')
  @Roles('product_manager')
  @ApiOperation({ summary: 'Draft a listing' })
  @ApiCreatedResponse({ description: 'drafted (L1)', type: ListingCreatedResponse })
  @ApiErrors({
    400: CONTENT_INVALID,
    403: ['CATALOG.PRODUCT_MANAGER_REQUIRED: only product managers maintain listings'],
    422: [COPY, 'CATALOG.ADVISORY_TRIAL_NOT_ALLOWED (V2): advisory plans offer no free trial'],
  })
  draft(@Body() body: ListingContentDto, @Ctx() context: CommandContext): Promise<{ listingId: string }> {
    return this.commands.execute(new DraftListingCommand(body as ListingContent, context));
  }

  @Put('listings/:listingId')
  @Roles('product_manager')
  @ApiOperation({ summary: 'Revise a listing (back to draft)' })
  @ApiOkResponse({
    description: 'revised; back to draft, so approved or published copy goes through review again (V1)',
    type: ListingStatusResponse,
  })
  @ApiErrors({
    400: CONTENT_INVALID,
    403: ['CATALOG.PRODUCT_MANAGER_REQUIRED: only product managers maintain listings'],
    422: [COPY, TRANSITION, 'CATALOG.ADVISORY_TRIAL_NOT_ALLOWED (V2): advisory plans offer no free trial'],
  })
  async revise(@Param('listingId', ParseUUIDPipe) listingId: string, @Body() body: ListingContentDto, @Ctx() context: CommandContext) {
    return view(
      await this.commands.execute(new ChangeListingCommand(listingId, { type: 'ReviseListing', content: body as ListingContent }, context)),
    );
  }

  @Post('listings/:listingId/submit')
  @HttpCode(200)
  @Roles('product_manager')
  @ApiOperation({ summary: 'Submit a draft for review' })
  @ApiOkResponse({ description: 'submitted: waits for a checker (L2)', type: ListingStatusResponse })
  @ApiErrors({
    400: ['CATALOG.PLAN_REQUIRED: a listing needs at least one plan'],
    403: ['CATALOG.PRODUCT_MANAGER_REQUIRED: only product managers maintain listings'],
    422: [
      'CATALOG.ADVISORY_TERMS_MISSING (L3): an advisory listing lacks terms (`details.missing`)',
      'CATALOG.ADVISORY_FUNCTION_IN_VALUE_ADDED (V1): a value-added listing describes an advisory function',
      COPY,
      TRANSITION,
    ],
  })
  async submit(@Param('listingId', ParseUUIDPipe) listingId: string, @Ctx() context: CommandContext) {
    return view(await this.commands.execute(new ChangeListingCommand(listingId, { type: 'SubmitListing' }, context)));
  }

  @Post('listings/:listingId/approve')
  @HttpCode(200)
  @Roles('product_manager', 'compliance_officer')
  @ApiOperation({ summary: 'Approve a submitted listing (the checker)' })
  @ApiOkResponse({ description: 'approved, ready to publish', type: ListingStatusResponse })
  @ApiErrors({
    403: [
      'CATALOG.COMPLIANCE_OFFICER_REQUIRED (L2): advisory listings are reviewed by compliance',
      'CATALOG.REVIEWER_ROLE_REQUIRED (L2): not a reviewer',
    ],
    422: [MAKER_CHECKER, "CATALOG.FAMILY_MISMATCH (V1): the confirmed family is not the listing's", TRANSITION],
  })
  async approve(@Param('listingId', ParseUUIDPipe) listingId: string, @Body() body: ApproveListingDto, @Ctx() context: CommandContext) {
    return view(
      await this.commands.execute(
        new ChangeListingCommand(listingId, { type: 'ApproveListing', confirmedFamily: body.confirmedFamily, note: body.note }, context),
      ),
    );
  }

  @Post('listings/:listingId/reject')
  @HttpCode(200)
  @Roles('product_manager', 'compliance_officer')
  @ApiOperation({ summary: 'Reject a submitted listing with a reason (the checker)' })
  @ApiOkResponse({ description: 'rejected; the maker may revise it', type: ListingStatusResponse })
  @ApiErrors({
    400: ['CATALOG.REASON_REQUIRED: a rejection states its reason'],
    403: [
      'CATALOG.COMPLIANCE_OFFICER_REQUIRED (L2): advisory listings are reviewed by compliance',
      'CATALOG.REVIEWER_ROLE_REQUIRED (L2): not a reviewer',
    ],
    422: [MAKER_CHECKER, TRANSITION],
  })
  async reject(@Param('listingId', ParseUUIDPipe) listingId: string, @Body() body: ReasonDto, @Ctx() context: CommandContext) {
    return view(await this.commands.execute(new ChangeListingCommand(listingId, { type: 'RejectListing', reason: body.reason }, context)));
  }

  @Post('listings/:listingId/publish')
  @HttpCode(200)
  @Roles('product_manager')
  @ApiOperation({ summary: 'Publish an approved listing' })
  @ApiOkResponse({ description: 'published: on sale (L1)', type: ListingStatusResponse })
  @ApiErrors({ 403: ['CATALOG.PRODUCT_MANAGER_REQUIRED: only product managers maintain listings'], 422: [TRANSITION] })
  async publish(@Param('listingId', ParseUUIDPipe) listingId: string, @Ctx() context: CommandContext) {
    return view(await this.commands.execute(new ChangeListingCommand(listingId, { type: 'PublishListing' }, context)));
  }

  @Post('listings/:listingId/retire')
  @HttpCode(200)
  @Roles('product_manager')
  @ApiOperation({ summary: 'Retire a listing with a reason' })
  @ApiOkResponse({ description: 'retired: no longer sold', type: ListingStatusResponse })
  @ApiErrors({ 403: ['CATALOG.PRODUCT_MANAGER_REQUIRED: only product managers maintain listings'], 422: [TRANSITION] })
  async retire(@Param('listingId', ParseUUIDPipe) listingId: string, @Body() body: ReasonDto, @Ctx() context: CommandContext) {
    return view(await this.commands.execute(new ChangeListingCommand(listingId, { type: 'RetireListing', reason: body.reason }, context)));
  }

  @Post('listings/:listingId/risk-rating-changes')
  @Roles('product_manager', 'compliance_officer')
  @ApiOperation({ summary: 'Propose a risk-rating change (reviewed by compliance)' })
  @ApiCreatedResponse({ description: 'submitted for compliance review (L4)', type: RatingChangeCreatedResponse })
  @ApiErrors({
    400: ['CATALOG.RATING_UNCHANGED: the proposed rating is the current one', 'CATALOG.REASON_REQUIRED: the change states its reason'],
    403: ['CATALOG.PRODUCT_MANAGER_REQUIRED: requested by product managers or compliance'],
    409: ['CATALOG.RATING_CHANGE_PENDING: another change awaits review'],
    422: [
      'CATALOG.NOT_ADVISORY (L4): only advisory listings carry a risk rating',
      'CATALOG.ADVISORY_TERMS_MISSING (L3): the risk factors are incomplete',
      TRANSITION,
    ],
  })
  async requestRatingChange(
    @Param('listingId', ParseUUIDPipe) listingId: string,
    @Body() body: RiskRatingChangeDto,
    @Ctx() context: CommandContext,
  ) {
    const changeId = context.correlationId;
    await this.commands.execute(
      new ChangeListingCommand(
        listingId,
        { type: 'SubmitRiskRatingChange', changeId, riskLevel: body.riskLevel, riskFactors: body.riskFactors, reason: body.reason },
        context,
      ),
    );
    return { listingId, changeId };
  }

  @Post('listings/:listingId/risk-rating-changes/:changeId/approve')
  @HttpCode(200)
  @Roles('compliance_officer')
  @ApiOperation({ summary: 'Approve a pending risk-rating change' })
  @ApiOkResponse({ description: 'the listing carries the new rating; holders are re-rated (L4)', type: ListingStatusResponse })
  @ApiErrors({
    403: ['CATALOG.COMPLIANCE_OFFICER_REQUIRED (L2): reviewed by a compliance officer'],
    404: ['CATALOG.RATING_CHANGE_NOT_FOUND: no such pending change'],
    422: [MAKER_CHECKER],
  })
  async approveRatingChange(
    @Param('listingId', ParseUUIDPipe) listingId: string,
    @Param('changeId') changeId: string,
    @Ctx() context: CommandContext,
  ) {
    return view(await this.commands.execute(new ChangeListingCommand(listingId, { type: 'ApproveRiskRatingChange', changeId }, context)));
  }

  @Post('listings/:listingId/risk-rating-changes/:changeId/reject')
  @HttpCode(200)
  @Roles('compliance_officer')
  @ApiOperation({ summary: 'Reject a pending risk-rating change with a reason' })
  @ApiOkResponse({ description: 'rejected; the rating stays', type: ListingStatusResponse })
  @ApiErrors({
    400: ['CATALOG.REASON_REQUIRED: a rejection states its reason'],
    403: ['CATALOG.COMPLIANCE_OFFICER_REQUIRED (L2): reviewed by a compliance officer'],
    404: ['CATALOG.RATING_CHANGE_NOT_FOUND: no such pending change'],
    422: [MAKER_CHECKER],
  })
  async rejectRatingChange(
    @Param('listingId', ParseUUIDPipe) listingId: string,
    @Param('changeId') changeId: string,
    @Body() body: ReasonDto,
    @Ctx() context: CommandContext,
  ) {
    return view(
      await this.commands.execute(
        new ChangeListingCommand(listingId, { type: 'RejectRiskRatingChange', changeId, reason: body.reason }, context),
      ),
    );
  }
}
