import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CommandContext, notFound } from '@app/common';
import { ErrorResponse, MoneyRoute, Roles } from '@app/identity';
import { Ctx, Idempotent } from '@app/platform';
import {
  AdviceBasis,
  CURRENT_QUESTIONNAIRE,
  QUESTIONNAIRES,
  contentHash,
  contractSerialDecider,
  contractSerialStreamId,
  contractYear,
  nextContractSerial,
  questionnaireHash,
  engagementContract,
} from '../domain';
import { ContactAttribution } from '../application/contact-attribution';
import { AdvisoryReaders } from '../application/readers';
import { sendDocumentText } from './documents.controller';
import {
  ApplyForProfessionalCommand,
  AssessRiskCommand,
  CompleteReturnVisitCommand,
  ConfirmAssessmentCommand,
  ConfirmRiskDisclosureCommand,
  MatchSuitabilityCommand,
  OpenAccountCommand,
  PublishAdviceCommand,
  PurchaseSubscriptionCommand,
  RecordInsistenceCommand,
  ReportMaterialChangeCommand,
  RescindContractCommand,
  ReviewProfessionalCommand,
  ShredPersonalDataCommand,
  SignContractCommand,
  SignSpecialRiskWarningCommand,
  engagementView,
  ownEngagement,
} from '../application/commands';
import { AdvisoryQueries } from '../application/queries/advisory.queries';
import { AggregateStore } from '@app/platform';
import {
  AdviceDto,
  AssessmentDto,
  ContactDto,
  ContractDto,
  DocumentConfirmationDto,
  InsistenceDto,
  MatchDto,
  MaterialChangeDto,
  OpenAccountDto,
  ProfessionalApplicationDto,
  PurchaseDto,
  RescissionDto,
  ReturnVisitDto,
  ReviewDto,
  ShredDto,
  SuitabilityCheckDto,
} from './advisory.dto';

type Response = { status(code: number): unknown; setHeader(name: string, value: string): unknown };
const IDEMPOTENCY_HEADER = { name: 'Idempotency-Key', required: true, description: 'same key and body replays the first response (header Idempotent-Replayed: true)' };
const IDEMPOTENCY_ERRORS = 'IDEMPOTENCY.KEY_REQUIRED (400), IDEMPOTENCY.IN_PROGRESS (409), IDEMPOTENCY.KEY_REUSED (422)';

/** The investor's side of the advisory flow (A1–A8). Responses carry masked personal data only. */
@ApiTags('advisory')
@ApiBearerAuth()
@Controller('advisory')
export class AdvisoryController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: AdvisoryQueries,
    private readonly store: AggregateStore,
    private readonly readers: AdvisoryReaders,
  ) {}

  @Post('account')
  @Roles('investor')
  @ApiCreatedResponse({ description: 'account opened; national ID and mobile come back masked' })
  @ApiUnprocessableEntityResponse({ description: 'ACCOUNT.NATIONAL_ID_CHECKSUM | _FORMAT | _REGION | _BIRTH_DATE, ACCOUNT.NOT_ADULT, ACCOUNT.MOBILE_INVALID, ACCOUNT.SUITABILITY_DATA_INCOMPLETE, ACCOUNT.SENSITIVE_DATA_CONSENT_MISSING, ACCOUNT.CONSENT_TEXT_UNKNOWN (A1)', type: ErrorResponse })
  @ApiConflictResponse({ description: 'ACCOUNT.ALREADY_OPENED (A1)', type: ErrorResponse })
  openAccount(@Body() body: OpenAccountDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new OpenAccountCommand(body, context));
  }

  @Get('account')
  account(@Ctx() context: CommandContext) {
    return this.queries.account(context.actor.id);
  }

  @Post('account/professional-applications')
  @Roles('investor')
  @ApiUnprocessableEntityResponse({ description: 'CLASSIFICATION.THRESHOLDS_NOT_MET, CLASSIFICATION.EVIDENCE_MISSING (A2)', type: ErrorResponse })
  applyForProfessional(@Body() body: ProfessionalApplicationDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new ApplyForProfessionalCommand(body, context));
  }

  @Post('account/material-changes')
  @Roles('investor')
  @HttpCode(200)
  reportMaterialChange(@Body() body: MaterialChangeDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new ReportMaterialChangeCommand(body.description, body.profile, context));
  }

  @Get('questionnaire')
  @ApiOkResponse({ description: 'the current risk questionnaire (data), with its hash' })
  questionnaire(@Query('version') version?: string) {
    const questionnaire = version ? QUESTIONNAIRES[version] : CURRENT_QUESTIONNAIRE;
    if (!questionnaire) throw notFound('ASSESSMENT.QUESTIONNAIRE_UNKNOWN', `no questionnaire ${version}`);
    return { ...questionnaire, hash: questionnaireHash(questionnaire) };
  }

  @Post('assessments')
  @Roles('investor')
  @ApiCreatedResponse({ description: 'the scored result, to be shown and confirmed; valid for the months of the firm policy it records (A3)' })
  @ApiBadRequestResponse({ description: 'VALIDATION.FAILED (also for a validityMonths field: validity is the firm policy, not input)', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({ description: 'ASSESSMENT.DAILY_LIMIT, ASSESSMENT.ANNUAL_LIMIT, ASSESSMENT.ANSWERS_INCOMPLETE (A3); ACCOUNT.NOT_OPENED (A1)', type: ErrorResponse })
  assess(@Body() body: AssessmentDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new AssessRiskCommand(body.answers, body.questionnaireVersion, context));
  }

  @Post('assessments/:assessmentId/confirmation')
  @Roles('investor')
  @HttpCode(200)
  confirmAssessment(@Param('assessmentId') assessmentId: string, @Ctx() context: CommandContext) {
    return this.commands.execute(new ConfirmAssessmentCommand(assessmentId, context));
  }

  @Get('assessments')
  assessments(@Ctx() context: CommandContext) {
    return this.queries.assessments(context.actor.id);
  }

  @Get('products')
  @ApiOkResponse({ description: 'published advisory products suitable for the caller: never above their level or outside their objectives (SM 22(3)-(4))' })
  products(@Ctx() context: CommandContext) {
    return this.queries.products(context.actor.id, context.now);
  }

  @Post('suitability-check')
  @Roles('investor')
  @HttpCode(200)
  @ApiOkResponse({ description: 'the matching opinion as it would be now, not recorded (A4)' })
  suitabilityCheck(@Body() body: SuitabilityCheckDto, @Ctx() context: CommandContext) {
    return this.queries.suitabilityPreview(context.actor.id, body.productId, body.planId, body.initiatedBy, context.now);
  }

  @Post('engagements')
  @Roles('investor')
  @ApiCreatedResponse({ description: 'the recorded matching opinion with rule IDs and rule-set version (A4)' })
  @ApiUnprocessableEntityResponse({ description: 'SUITABILITY.LOWEST_CATEGORY_ABOVE_R1, SUITABILITY.MISMATCH_NOT_INVESTOR_INITIATED, SUITABILITY.ACCESS_THRESHOLD_NOT_MET (A5); ASSESSMENT.EXPIRED, ASSESSMENT.NOT_IN_FORCE (A3)', type: ErrorResponse })
  match(@Body() body: MatchDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new MatchSuitabilityCommand(body.productId, body.planId, body.initiatedBy, body.recommendationId, body.engagementId, context));
  }

  @Get('engagements')
  engagements(@Ctx() context: CommandContext) {
    return this.queries.engagements(context.actor.id);
  }

  @Get('engagements/:engagementId')
  @ApiNotFoundResponse({ description: 'ENGAGEMENT.NOT_FOUND', type: ErrorResponse })
  async engagement(@Param('engagementId') engagementId: string, @Ctx() context: CommandContext) {
    return engagementView(await ownEngagement(this.store, engagementId, context));
  }

  @Post('engagements/:engagementId/risk-disclosure')
  @Roles('investor')
  @HttpCode(200)
  @ApiUnprocessableEntityResponse({ description: 'DISCLOSURE.WRONG_VERSION (A6)', type: ErrorResponse })
  confirmDisclosure(@Param('engagementId') id: string, @Body() body: DocumentConfirmationDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new ConfirmRiskDisclosureCommand(id, body.contentHash, context));
  }

  @Post('engagements/:engagementId/special-risk-warning')
  @Roles('investor')
  @HttpCode(200)
  @ApiUnprocessableEntityResponse({ description: 'WARNING.WRONG_VERSION (A5)', type: ErrorResponse })
  @ApiConflictResponse({ description: 'WARNING.NOT_REQUIRED (A5)', type: ErrorResponse })
  signWarning(@Param('engagementId') id: string, @Body() body: DocumentConfirmationDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new SignSpecialRiskWarningCommand(id, body.contentHash, context));
  }

  @Post('engagements/:engagementId/insistence')
  @Roles('investor')
  @HttpCode(200)
  insist(@Param('engagementId') id: string, @Body() body: InsistenceDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new RecordInsistenceCommand(id, body.statement, context));
  }

  @Get('engagements/:engagementId/contract-preview')
  @ApiOkResponse({
    description:
      'the contract text under the serial the year register gives next, and its content hash (A6). Nothing is reserved: signing records the next serial at the time it is recorded, which is this one unless another contract is signed first; the signing response and event carry the serial and hash actually signed. format=text answers the text itself with its hash in Document-SHA256 and Content-Digest',
  })
  async contractPreview(
    @Param('engagementId') id: string,
    @Query('format') format: string | undefined,
    @Ctx() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ) {
    const state = await ownEngagement(this.store, id, context);
    const year = contractYear(context.now.toISOString());
    const [product, register] = await Promise.all([this.readers.product(state.productId, state.planId), this.store.load(contractSerialDecider, contractSerialStreamId(year))]);
    const serial = nextContractSerial(register.state, year);
    const contract = engagementContract(serial, state.investorId, product);
    if (format === 'text') return sendDocumentText(response, contract);
    return { ...contract, serial, serialReserved: false, contentHash: contentHash(contract.text) };
  }

  @Post('engagements/:engagementId/contract')
  @Roles('investor')
  @HttpCode(200)
  @ApiOkResponse({ description: 'signed under the next serial of the year (ADV-<year>-<6 digits>), assigned by the server from a gap-free register (A6)' })
  @ApiBadRequestResponse({ description: 'VALIDATION.FAILED (a body naming a serial: serials are assigned by the server)', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({
    description: 'CONTRACT.RISK_DISCLOSURE_NOT_CONFIRMED, CONTRACT.PREVIEW_OUTDATED (A6), CONTRACT.SPECIAL_RISK_WARNING_NOT_SIGNED, CONTRACT.INSISTENCE_NOT_RECORDED (A5)',
    type: ErrorResponse,
  })
  signContract(@Param('engagementId') id: string, @Body() body: ContractDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new SignContractCommand(id, body.contentHash, context));
  }

  @Post('engagements/:engagementId/purchase')
  @Roles('investor')
  @MoneyRoute()
  @Idempotent()
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({ description: 'status payment_pending, payment requested to the company account; active once the payment is captured, payment_failed if it is not' })
  @ApiBadRequestResponse({ description: `${IDEMPOTENCY_ERRORS}, VALIDATION.FAILED`, type: ErrorResponse })
  @ApiConflictResponse({ description: 'PURCHASE.ALREADY_ACTIVE, PURCHASE.PAYMENT_PENDING (A7), ENGAGEMENT.RESCINDED (A8), IDEMPOTENCY.IN_PROGRESS', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({
    description: 'PURCHASE.* (A7, A6, A1, L1), SUITABILITY.* (A5), PURCHASE.INCENTIVE_NOT_ALLOWED (V2); details.violations lists every rule; IDEMPOTENCY.KEY_REUSED',
    type: ErrorResponse,
  })
  purchase(@Param('engagementId') id: string, @Body() body: PurchaseDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new PurchaseSubscriptionCommand(id, false, body.coupons ?? [], body.paymentMethod ?? 'sandbox_ok', context));
  }

  @Post('engagements/:engagementId/renewal')
  @Roles('investor')
  @MoneyRoute()
  @Idempotent()
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({ description: 'the next period, paid when the payment is captured; a failed payment gives the period back' })
  @ApiConflictResponse({ description: 'RENEWAL.NOT_ACTIVE, RENEWAL.PAYMENT_PENDING (A7), IDEMPOTENCY.IN_PROGRESS', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({ description: 'RENEWAL.BLOCKED_UNTIL_REMATCHED (L4), PURCHASE.* (A7), IDEMPOTENCY.KEY_REUSED', type: ErrorResponse })
  renew(@Param('engagementId') id: string, @Body() body: PurchaseDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new PurchaseSubscriptionCommand(id, true, body.coupons ?? [], body.paymentMethod ?? 'sandbox_ok', context));
  }

  @Post('engagements/:engagementId/rescission')
  @Roles('investor')
  @MoneyRoute()
  @Idempotent(200)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOkResponse({ description: 'rescinded; every captured payment is refunded in full (the refunds complete asynchronously, see GET /payments/:id)' })
  @ApiConflictResponse({ description: 'RESCISSION.PAYMENT_PENDING, RESCISSION.ALREADY_RESCINDED, RESCISSION.NO_CONTRACT (A8), IDEMPOTENCY.IN_PROGRESS', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({ description: 'RESCISSION.WINDOW_CLOSED (A8), IDEMPOTENCY.KEY_REUSED', type: ErrorResponse })
  rescind(@Param('engagementId') id: string, @Body() body: RescissionDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new RescindContractCommand(id, body.notice, context));
  }

  @Get('notifications')
  notifications(@Ctx() context: CommandContext) {
    return this.queries.notifications(context.actor.id);
  }

  @Get('products/:productId/advice')
  advice(@Param('productId') productId: string, @Ctx() context: CommandContext) {
    return this.queries.advice(productId, context);
  }

  @Post('products/:productId/advice')
  @Roles('advisor')
  @ApiForbiddenResponse({ description: 'ADVICE.NOT_PRODUCT_ADVISOR (A9)', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({ description: 'ADVICE.BASIS_MISSING (A9), ADVICE.CONTENT_BLOCKED (V3)', type: ErrorResponse })
  publishAdvice(@Param('productId') productId: string, @Body() body: AdviceDto, @Ctx() context: CommandContext) {
    const basis: AdviceBasis =
      body.basis.kind === 'model'
        ? { kind: 'model', modelVersion: body.basis.modelVersion ?? '' }
        : { kind: 'research_report', issuer: body.basis.issuer ?? '', reportDate: body.basis.reportDate ?? '', ...(body.basis.title ? { title: body.basis.title } : {}) };
    return this.commands.execute(new PublishAdviceCommand(productId, body.content, basis, context));
  }
}

/** Staff side: classification review (A2), the return-visit queue (A8), crypto-shredding (E3). */
@ApiTags('advisory-staff')
@ApiBearerAuth()
@Controller('staff/advisory')
export class AdvisoryStaffController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: AdvisoryQueries,
    private readonly contacts: ContactAttribution,
  ) {}

  @Post('investors/:investorId/contacts')
  @Roles('advisor', 'product_manager', 'compliance_officer')
  @ApiCreatedResponse({ description: 'the contact is recorded: purchases of the product by the investor within the attribution window are not investor-initiated (A5)' })
  @ApiForbiddenResponse({ description: 'CONTACT.BY_INVESTOR (A5), AUTH.ROLE_REQUIRED', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'PRODUCT.NOT_FOUND', type: ErrorResponse })
  recordContact(@Param('investorId') investorId: string, @Body() body: ContactDto, @Ctx() context: CommandContext) {
    return this.contacts.record({ investorId, productId: body.productId, source: body.source, reference: body.reference }, context);
  }

  @Post('investors/:investorId/professional-applications/:applicationId/review')
  @HttpCode(200)
  @ApiForbiddenResponse({ description: 'CLASSIFICATION.SELF_APPROVAL, CLASSIFICATION.REVIEWER_NOT_COMPLIANCE (A2)', type: ErrorResponse })
  review(@Param('investorId') investorId: string, @Param('applicationId') applicationId: string, @Body() body: ReviewDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new ReviewProfessionalCommand(investorId, applicationId, body.approve, body.reason ?? '', context));
  }

  @Get('return-visits')
  @Roles('compliance_officer')
  returnVisits(@Query('status') status = 'queued') {
    return this.queries.returnVisits(status);
  }

  @Post('return-visits/:engagementId')
  @HttpCode(200)
  @ApiForbiddenResponse({ description: 'RETURN_VISIT.STAFF_IN_SALES, RETURN_VISIT.NOT_COMPLIANCE_STAFF (A8)', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({ description: 'RETURN_VISIT.COOLING_OFF, RETURN_VISIT.CHECKLIST_INCOMPLETE (A8)', type: ErrorResponse })
  completeReturnVisit(@Param('engagementId') engagementId: string, @Body() body: ReturnVisitDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new CompleteReturnVisitCommand(engagementId, { ...body.checklist }, body.notes, context));
  }

  @Post('investors/:investorId/personal-data/shredding')
  @HttpCode(200)
  @Roles('compliance_officer')
  @ApiOkResponse({ description: "the person's vault key, registration data and sign-in are destroyed; advisory and identity record the shredding (E3)" })
  @ApiBadRequestResponse({ description: 'IDENTITY.UNKNOWN_USER, IDENTITY.SHRED_REASON_REQUIRED (E3), VALIDATION.FAILED', type: ErrorResponse })
  @ApiConflictResponse({ description: 'ACCOUNT.ALREADY_SHREDDED (E3)', type: ErrorResponse })
  shred(@Param('investorId') investorId: string, @Body() body: ShredDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new ShredPersonalDataCommand(investorId, body.reason, context));
  }
}
