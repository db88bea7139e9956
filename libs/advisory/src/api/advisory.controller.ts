import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { CommandContext, invalid, notFound } from '@app/common';
import { MoneyRoute, Roles } from '@app/identity';
import { ApiErrors, Ctx, Idempotent } from '@app/platform';
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
import {
  AccountOpenedResponse,
  AccountResponse,
  AdvicePublishedResponse,
  AdviceResponse,
  AdvisoryProductList,
  ApplicationResponse,
  AssessmentConfirmedResponse,
  AssessmentResponse,
  AssessmentResultResponse,
  ClassificationResponse,
  ContactRecordedResponse,
  ContractPreviewResponse,
  EngagementResponse,
  EngagementSummaryResponse,
  MaterialChangeResponse,
  NotificationResponse,
  PurchaseResponse,
  QuestionnaireResponse,
  RescissionResponse,
  ProfessionalApplicationItem,
  ReturnVisitQueueItem,
  ShreddedResponse,
  SuitabilityPreviewResponse,
} from './advisory.responses';

type Response = { status(code: number): unknown; setHeader(name: string, value: string): unknown };
const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: true,
  description: 'same key and body replays the first response (header Idempotent-Replayed: true)',
};
const IDEMPOTENCY_400 = [
  'IDEMPOTENCY.KEY_REQUIRED: send an Idempotency-Key header',
  'IDEMPOTENCY.KEY_INVALID: the Idempotency-Key header is malformed',
];
const IN_PROGRESS = 'IDEMPOTENCY.IN_PROGRESS: the first request with this key is still running';
const KEY_REUSED = 'IDEMPOTENCY.KEY_REUSED: the same key was sent with another body';
const ENGAGEMENT_NOT_FOUND = 'ENGAGEMENT.NOT_FOUND: no such engagement of yours';
const RESCINDED = 'ENGAGEMENT.RESCINDED (A8): the engagement was rescinded';
const NOT_OPENED = 'ACCOUNT.NOT_OPENED (A1): open the advisory account first';
const PRODUCT_TERMS =
  'PRODUCT.NOT_ADVISORY (V1), PRODUCT.TERMS_INCOMPLETE, PRODUCT.PLAN_NOT_PERIODIC (L3), PRODUCT.DOCUMENT_UNKNOWN (A6): the product cannot be sold as advisory';

/** The investor's side of the advisory flow (A1–A8). Responses carry masked personal data only. */
@ApiTags('advisory')
@ApiExtraModels(ContractPreviewResponse)
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
  @ApiOperation({ summary: 'Open my advisory account (real-name data, suitability profile, consents)' })
  @ApiCreatedResponse({ description: 'account opened; national ID and mobile come back masked', type: AccountOpenedResponse })
  @ApiErrors({
    409: ['ACCOUNT.ALREADY_OPENED: the account is open already'],
    422: [
      'ACCOUNT.NATIONAL_ID_FORMAT, ACCOUNT.NATIONAL_ID_CHECKSUM, ACCOUNT.NATIONAL_ID_REGION, ACCOUNT.NATIONAL_ID_BIRTH_DATE (A1): the national ID is not valid',
      'ACCOUNT.NOT_ADULT (A1): under 18',
      'ACCOUNT.MOBILE_INVALID, ACCOUNT.LEGAL_NAME_INVALID (A1)',
      'ACCOUNT.SUITABILITY_DATA_INCOMPLETE (A1): the suitability profile lacks a field',
      'ACCOUNT.SENSITIVE_DATA_CONSENT_MISSING, ACCOUNT.CONSENT_TEXT_UNKNOWN (A1): the consents are missing or not the current text',
    ],
  })
  openAccount(@Body() body: OpenAccountDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new OpenAccountCommand(body, context));
  }

  @Get('account')
  @ApiOperation({ summary: 'My advisory account: masked identity, classification, assessment in force' })
  @ApiOkResponse({ type: AccountResponse })
  @ApiErrors({ 404: ['ACCOUNT.NOT_FOUND: no advisory account'] })
  account(@Ctx() context: CommandContext) {
    return this.queries.account(context.actor.id);
  }

  @Post('account/professional-applications')
  @Roles('investor')
  @ApiOperation({ summary: 'Apply to be classified a professional investor' })
  @ApiCreatedResponse({ description: 'the application waits for a compliance review (A2)', type: ApplicationResponse })
  @ApiErrors({
    409: ['CLASSIFICATION.ALREADY_PROFESSIONAL', 'CLASSIFICATION.APPLICATION_PENDING: one waits for review already'],
    422: ['CLASSIFICATION.THRESHOLDS_NOT_MET, CLASSIFICATION.EVIDENCE_MISSING (A2)', NOT_OPENED],
  })
  applyForProfessional(@Body() body: ProfessionalApplicationDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new ApplyForProfessionalCommand(body, context));
  }

  @Post('account/material-changes')
  @Roles('investor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Report a material change of my situation (withdraws the assessment)' })
  @ApiOkResponse({ type: MaterialChangeResponse })
  @ApiErrors({ 400: ['PROFILE.DESCRIPTION_REQUIRED: describe the change'], 422: [NOT_OPENED] })
  reportMaterialChange(@Body() body: MaterialChangeDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new ReportMaterialChangeCommand(body.description, body.profile, context));
  }

  @Get('questionnaire')
  @ApiOperation({ summary: 'The risk questionnaire (current or a named version), with its hash' })
  @ApiQuery({ name: 'version', required: false })
  @ApiOkResponse({ description: 'the questionnaire (data), with its hash', type: QuestionnaireResponse })
  @ApiErrors({ 404: ['ASSESSMENT.QUESTIONNAIRE_UNKNOWN: no such version'] })
  questionnaire(@Query('version') version?: string) {
    const questionnaire = version ? QUESTIONNAIRES[version] : CURRENT_QUESTIONNAIRE;
    if (!questionnaire) throw notFound('ASSESSMENT.QUESTIONNAIRE_UNKNOWN', `no questionnaire ${version}`);
    return { ...questionnaire, hash: questionnaireHash(questionnaire) };
  }

  @Post('assessments')
  @Roles('investor')
  @ApiOperation({ summary: 'Answer the questionnaire: my risk tolerance, scored' })
  @ApiCreatedResponse({
    description: 'the scored result, to be shown and confirmed; valid for the months of the firm policy it records (A3)',
    type: AssessmentResultResponse,
  })
  @ApiErrors({
    404: ['ASSESSMENT.QUESTIONNAIRE_UNKNOWN: no such version'],
    422: [
      'ASSESSMENT.DAILY_LIMIT, ASSESSMENT.ANNUAL_LIMIT (A3): too many assessments',
      'ASSESSMENT.ANSWERS_INCOMPLETE (A3): a question is unanswered',
      NOT_OPENED,
    ],
  })
  assess(@Body() body: AssessmentDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new AssessRiskCommand(body.answers, body.questionnaireVersion, context));
  }

  @Post('assessments/:assessmentId/confirmation')
  @Roles('investor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm my assessment result' })
  @ApiOkResponse({ type: AssessmentConfirmedResponse })
  @ApiErrors({
    403: ['ASSESSMENT.NOT_BY_INVESTOR: only the investor confirms'],
    409: [
      'ASSESSMENT.ALREADY_CONFIRMED',
      'ASSESSMENT.NOT_LATEST: a later assessment exists',
      'ASSESSMENT.WITHDRAWN: a material change withdrew it',
    ],
    422: [NOT_OPENED],
  })
  confirmAssessment(@Param('assessmentId') assessmentId: string, @Ctx() context: CommandContext) {
    return this.commands.execute(new ConfirmAssessmentCommand(assessmentId, context));
  }

  @Get('assessments')
  @ApiOperation({ summary: 'My assessments, oldest first' })
  @ApiOkResponse({ type: [AssessmentResponse] })
  assessments(@Ctx() context: CommandContext) {
    return this.queries.assessments(context.actor.id);
  }

  @Get('products')
  @ApiOperation({ summary: 'Advisory products suitable for me' })
  @ApiOkResponse({
    description: 'published advisory products suitable for the caller: never above their level or outside their objectives (SM 22(3)-(4))',
    type: AdvisoryProductList,
  })
  products(@Ctx() context: CommandContext) {
    return this.queries.products(context.actor.id, context.now);
  }

  @Post('suitability-check')
  @Roles('investor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Preview the matching opinion for a product (not recorded)' })
  @ApiOkResponse({ description: 'the matching opinion as it would be now, not recorded (A4)', type: SuitabilityPreviewResponse })
  @ApiErrors({ 404: ['PRODUCT.NOT_FOUND, PRODUCT.PLAN_NOT_FOUND: no such product or plan'], 422: [PRODUCT_TERMS] })
  suitabilityCheck(@Body() body: SuitabilityCheckDto, @Ctx() context: CommandContext) {
    return this.queries.suitabilityPreview(context.actor.id, body.productId, body.planId, body.initiatedBy, context.now);
  }

  @Post('engagements')
  @Roles('investor')
  @ApiOperation({ summary: 'Be matched with a product: the recorded suitability opinion' })
  @ApiCreatedResponse({ description: 'the recorded matching opinion with rule IDs and rule-set version (A4)', type: EngagementResponse })
  @ApiErrors({
    403: ['MATCHING.NOT_BY_INVESTOR (A4): the investor requests their own matching opinion'],
    404: ['PRODUCT.NOT_FOUND, PRODUCT.PLAN_NOT_FOUND: no such product or plan'],
    409: ['ENGAGEMENT.OTHER_PRODUCT (A4): the engagement is for another product', RESCINDED],
    422: [
      'SUITABILITY.ABOVE_RISK_TOLERANCE, SUITABILITY.OBJECTIVES_MISMATCH, SUITABILITY.MISMATCH_NOT_INVESTOR_INITIATED, SUITABILITY.ACCESS_THRESHOLD_NOT_MET (A5): refused; `details.violations` lists every rule',
      'ASSESSMENT.EXPIRED, ASSESSMENT.NOT_IN_FORCE (A3): no assessment in force',
      'PRODUCT.NOT_PUBLISHED (L1)',
      NOT_OPENED,
      PRODUCT_TERMS,
    ],
  })
  match(@Body() body: MatchDto, @Ctx() context: CommandContext) {
    return this.commands.execute(
      new MatchSuitabilityCommand(body.productId, body.planId, body.initiatedBy, body.recommendationId, body.engagementId, context),
    );
  }

  @Get('engagements')
  @ApiOperation({ summary: 'My engagements, last changed first' })
  @ApiOkResponse({ type: [EngagementSummaryResponse] })
  engagements(@Ctx() context: CommandContext) {
    return this.queries.engagements(context.actor.id);
  }

  @Get('engagements/:engagementId')
  @ApiOperation({ summary: 'One of my engagements with every step taken' })
  @ApiOkResponse({ type: EngagementResponse })
  @ApiErrors({ 404: [ENGAGEMENT_NOT_FOUND] })
  async engagement(@Param('engagementId') engagementId: string, @Ctx() context: CommandContext) {
    return engagementView(await ownEngagement(this.store, engagementId, context));
  }

  @Post('engagements/:engagementId/risk-disclosure')
  @Roles('investor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm the risk disclosure I read (by its content hash)' })
  @ApiOkResponse({ type: EngagementResponse })
  @ApiErrors({
    403: ['DISCLOSURE.NOT_BY_INVESTOR (A6): only the investor confirms'],
    404: [ENGAGEMENT_NOT_FOUND],
    409: [RESCINDED],
    422: ['DISCLOSURE.WRONG_VERSION (A6): the hash is not the text this product requires (`details.required`)'],
  })
  confirmDisclosure(@Param('engagementId') id: string, @Body() body: DocumentConfirmationDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new ConfirmRiskDisclosureCommand(id, body.contentHash, context));
  }

  @Post('engagements/:engagementId/special-risk-warning')
  @Roles('investor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign the special risk warning (by its content hash)' })
  @ApiOkResponse({ type: EngagementResponse })
  @ApiErrors({
    403: ['WARNING.NOT_BY_INVESTOR (A5): only the investor signs'],
    404: [ENGAGEMENT_NOT_FOUND],
    409: ['WARNING.NOT_REQUIRED (A5): the opinion is a match; no warning applies', RESCINDED],
    422: ['WARNING.WRONG_VERSION (A5): the hash is not the text this product requires (`details.required`)'],
  })
  signWarning(@Param('engagementId') id: string, @Body() body: DocumentConfirmationDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new SignSpecialRiskWarningCommand(id, body.contentHash, context));
  }

  @Post('engagements/:engagementId/insistence')
  @Roles('investor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record that I insist on buying despite the mismatch' })
  @ApiOkResponse({ type: EngagementResponse })
  @ApiErrors({
    400: ['INSISTENCE.STATEMENT_REQUIRED (A5): state it in your own words'],
    403: ['INSISTENCE.NOT_BY_INVESTOR (A5): only the investor insists'],
    404: [ENGAGEMENT_NOT_FOUND],
    409: ['INSISTENCE.NOT_REQUIRED (A5): the opinion is a match', RESCINDED],
    422: ['INSISTENCE.WARNING_NOT_SIGNED (A5): sign the special risk warning first'],
  })
  insist(@Param('engagementId') id: string, @Body() body: InsistenceDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new RecordInsistenceCommand(id, body.statement, context));
  }

  @Get('engagements/:engagementId/contract-preview')
  @ApiOperation({ summary: 'The contract I would sign now, with its hash (format=text: the text itself)' })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'text'] })
  @ApiOkResponse({
    description:
      'the contract text under the serial the year register gives next, and its content hash (A6). Nothing is reserved: signing records the next serial at the time it is recorded, which is this one unless another contract is signed first; the signing response and event carry the serial and hash actually signed. format=text answers the text itself with its hash in Document-SHA256 and Content-Digest',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(ContractPreviewResponse) } },
      'text/plain': { schema: { type: 'string' } },
    },
  })
  @ApiErrors({ 404: [ENGAGEMENT_NOT_FOUND], 422: [PRODUCT_TERMS] })
  async contractPreview(
    @Param('engagementId') id: string,
    @Query('format') format: string | undefined,
    @Ctx() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ) {
    const state = await ownEngagement(this.store, id, context);
    const year = contractYear(context.now.toISOString());
    const [product, register] = await Promise.all([
      this.readers.product(state.productId, state.planId),
      this.store.load(contractSerialDecider, contractSerialStreamId(year)),
    ]);
    const serial = nextContractSerial(register.state, year);
    const contract = engagementContract(serial, state.investorId, product);
    if (format === 'text') return sendDocumentText(response, contract);
    return { ...contract, serial, serialReserved: false, contentHash: contentHash(contract.text) };
  }

  @Post('engagements/:engagementId/contract')
  @Roles('investor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign the contract (by the hash of the text I was shown)' })
  @ApiOkResponse({
    description: 'signed under the next serial of the year (ADV-<year>-<6 digits>), assigned by the server from a gap-free register (A6)',
    type: EngagementResponse,
  })
  @ApiErrors({
    403: ['CONTRACT.NOT_BY_INVESTOR (A6): only the investor signs'],
    404: [ENGAGEMENT_NOT_FOUND],
    409: ['CONTRACT.ALREADY_SIGNED (A6)', RESCINDED],
    422: [
      'CONTRACT.RISK_DISCLOSURE_NOT_CONFIRMED, CONTRACT.PREVIEW_OUTDATED (A6): confirm the disclosure; sign the text shown now',
      'CONTRACT.SPECIAL_RISK_WARNING_NOT_SIGNED, CONTRACT.INSISTENCE_NOT_RECORDED (A5)',
      'CONTRACT.ADVISOR_NOT_REGISTERED, CONTRACT.FEE_BASIS_INVALID (A6)',
      PRODUCT_TERMS,
    ],
  })
  signContract(@Param('engagementId') id: string, @Body() body: ContractDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new SignContractCommand(id, body.contentHash, context));
  }

  @Post('engagements/:engagementId/purchase')
  @Roles('investor')
  @MoneyRoute()
  @Idempotent()
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({ summary: 'Buy the subscription (pays the contract fee)' })
  @ApiCreatedResponse({
    description:
      'status payment_pending, payment requested to the company account; active once the payment is captured, payment_failed if it is not',
    type: PurchaseResponse,
  })
  @ApiErrors({
    400: IDEMPOTENCY_400,
    403: ['PURCHASE.NOT_BY_INVESTOR: only the investor buys'],
    404: [ENGAGEMENT_NOT_FOUND],
    409: ['PURCHASE.ALREADY_ACTIVE, PURCHASE.PAYMENT_PENDING (A7)', 'ENGAGEMENT.RESCINDED (A8)', IN_PROGRESS],
    422: [
      'SUITABILITY.* (A5): refused for suitability; `details.violations` lists every rule in order',
      'PURCHASE.INCENTIVE_NOT_ALLOWED (V2): no coupons or incentives on advisory products',
      'PURCHASE.ACCOUNT_NOT_OPEN (A1), PURCHASE.PRODUCT_NOT_PUBLISHED (L1)',
      'PURCHASE.ASSESSMENT_EXPIRED, PURCHASE.ASSESSMENT_NOT_IN_FORCE, PURCHASE.ASSESSMENT_CHANGED_SINCE_MATCHING, PURCHASE.CLASSIFICATION_CHANGED_SINCE_MATCHING, PURCHASE.PRODUCT_RERATED_SINCE_MATCHING (A7)',
      'EDUCATION.LESSONS_REQUIRED (G8): the listing requires lessons not completed yet; `details.missingLessons` names them',
      'PURCHASE.RISK_DISCLOSURE_NOT_CONFIRMED, PURCHASE.RISK_DISCLOSURE_OUTDATED, PURCHASE.CONTRACT_NOT_SIGNED, PURCHASE.PRICE_NOT_CONTRACT_FEE (A6)',
      KEY_REUSED,
    ],
  })
  purchase(@Param('engagementId') id: string, @Body() body: PurchaseDto, @Ctx() context: CommandContext) {
    return this.commands.execute(
      new PurchaseSubscriptionCommand(id, false, body.coupons ?? [], body.paymentMethod ?? 'sandbox_ok', context),
    );
  }

  @Post('engagements/:engagementId/renewal')
  @Roles('investor')
  @MoneyRoute()
  @Idempotent()
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({ summary: 'Renew for the next period' })
  @ApiCreatedResponse({
    description: 'the next period, paid when the payment is captured; a failed payment gives the period back',
    type: PurchaseResponse,
  })
  @ApiErrors({
    400: IDEMPOTENCY_400,
    403: ['PURCHASE.NOT_BY_INVESTOR: only the investor renews'],
    404: [ENGAGEMENT_NOT_FOUND],
    409: ['RENEWAL.NOT_ACTIVE, RENEWAL.PAYMENT_PENDING (A7)', 'ENGAGEMENT.RESCINDED (A8)', IN_PROGRESS],
    422: [
      'RENEWAL.BLOCKED_UNTIL_REMATCHED (L4): the product was re-rated; match again',
      'PURCHASE.* (A7, A6, A1, L1), SUITABILITY.* (A5): as for a purchase',
      KEY_REUSED,
    ],
  })
  renew(@Param('engagementId') id: string, @Body() body: PurchaseDto, @Ctx() context: CommandContext) {
    return this.commands.execute(
      new PurchaseSubscriptionCommand(id, true, body.coupons ?? [], body.paymentMethod ?? 'sandbox_ok', context),
    );
  }

  @Post('engagements/:engagementId/rescission')
  @Roles('investor')
  @MoneyRoute()
  @Idempotent(200)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({ summary: 'Rescind the contract within the window (full refund)' })
  @ApiOkResponse({
    description:
      'rescinded; every captured payment is refunded in full (the refunds complete asynchronously, see GET /payments/{paymentId})',
    type: RescissionResponse,
  })
  @ApiErrors({
    400: [...IDEMPOTENCY_400, 'RESCISSION.NOTICE_REQUIRED: the notice is required'],
    404: [ENGAGEMENT_NOT_FOUND],
    409: ['RESCISSION.PAYMENT_PENDING, RESCISSION.ALREADY_RESCINDED, RESCISSION.NO_CONTRACT (A8)', IN_PROGRESS],
    422: ['RESCISSION.WINDOW_CLOSED (A8): the rescission window has closed', KEY_REUSED],
  })
  rescind(@Param('engagementId') id: string, @Body() body: RescissionDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new RescindContractCommand(id, body.notice, context));
  }

  @Get('notifications')
  @ApiOperation({ summary: 'My advisory notifications (re-ratings …), oldest first' })
  @ApiOkResponse({ type: [NotificationResponse] })
  notifications(@Ctx() context: CommandContext) {
    return this.queries.notifications(context.actor.id);
  }

  @Get('products/:productId/advice')
  @ApiOperation({ summary: "A product's advice, newest first (subscribers, its advisors, compliance)" })
  @ApiOkResponse({ type: [AdviceResponse] })
  @ApiErrors({ 404: ['ADVICE.NOT_SUBSCRIBED: advice is for active subscribers of the product'] })
  advice(@Param('productId') productId: string, @Ctx() context: CommandContext) {
    return this.queries.advice(productId, context);
  }

  @Post('products/:productId/advice')
  @Roles('advisor')
  @ApiOperation({ summary: 'Publish advice on a product (its registered advisor)' })
  @ApiCreatedResponse({ type: AdvicePublishedResponse })
  @ApiErrors({
    400: ['ADVICE.CONTENT_REQUIRED'],
    403: ["ADVICE.NOT_AN_ADVISOR, ADVICE.NOT_PRODUCT_ADVISOR (A9): only the product's advisors publish"],
    404: ['PRODUCT.NOT_FOUND: no such product'],
    409: ['ADVICE.ALREADY_PUBLISHED'],
    422: ['ADVICE.BASIS_MISSING, ADVICE.ADVISOR_NOT_REGISTERED (A9)', 'ADVICE.CONTENT_BLOCKED (V3): the content guard refused the text'],
  })
  publishAdvice(@Param('productId') productId: string, @Body() body: AdviceDto, @Ctx() context: CommandContext) {
    const basis: AdviceBasis =
      body.basis.kind === 'model'
        ? { kind: 'model', modelVersion: body.basis.modelVersion ?? '' }
        : {
            kind: 'research_report',
            issuer: body.basis.issuer ?? '',
            reportDate: body.basis.reportDate ?? '',
            ...(body.basis.title ? { title: body.basis.title } : {}),
          };
    return this.commands.execute(new PublishAdviceCommand(productId, body.content, basis, context));
  }
}

/** Staff side: classification review (A2), the return-visit queue (A8), crypto-shredding (E3). */
@ApiTags('advisory-staff')
@Controller('staff/advisory')
export class AdvisoryStaffController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: AdvisoryQueries,
    private readonly contacts: ContactAttribution,
  ) {}

  @Post('investors/:investorId/contacts')
  @Roles('advisor', 'product_manager', 'compliance_officer')
  @ApiOperation({ summary: 'Record a staff contact with an investor about a product (A5 attribution)' })
  @ApiCreatedResponse({
    description:
      'the contact is recorded: purchases of the product by the investor within the attribution window are not investor-initiated (A5)',
    type: ContactRecordedResponse,
  })
  @ApiErrors({
    400: ['CONTACT.PRODUCT_REQUIRED, CONTACT.SOURCE_UNKNOWN'],
    403: ['CONTACT.BY_INVESTOR (A5): investors do not record contacts'],
    404: ['PRODUCT.NOT_FOUND: no such product'],
  })
  recordContact(@Param('investorId') investorId: string, @Body() body: ContactDto, @Ctx() context: CommandContext) {
    return this.contacts.record({ investorId, productId: body.productId, source: body.source, reference: body.reference }, context);
  }

  @Get('professional-applications')
  @Roles('compliance_officer')
  @ApiOperation({ summary: 'Professional-investor applications with their evidence, oldest first (compliance, A2)' })
  @ApiQuery({ name: 'status', required: false, enum: ['pending', 'approved', 'rejected'] })
  @ApiOkResponse({ type: [ProfessionalApplicationItem] })
  @ApiErrors({ 400: ['CLASSIFICATION.STATUS_UNKNOWN: status is pending, approved or rejected'] })
  professionalApplications(@Query('status') status = 'pending') {
    if (!['pending', 'approved', 'rejected'].includes(status))
      throw invalid('CLASSIFICATION.STATUS_UNKNOWN', 'status is pending, approved or rejected');
    return this.queries.professionalApplications(status);
  }

  @Post('investors/:investorId/professional-applications/:applicationId/review')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve or reject a professional-investor application (compliance)' })
  @ApiOkResponse({ type: ClassificationResponse })
  @ApiErrors({
    400: ['CLASSIFICATION.REASON_REQUIRED: a rejection states its reason'],
    403: ['CLASSIFICATION.SELF_APPROVAL, CLASSIFICATION.REVIEWER_NOT_COMPLIANCE (A2): a compliance officer other than the applicant'],
    404: ['CLASSIFICATION.APPLICATION_NOT_FOUND'],
  })
  review(
    @Param('investorId') investorId: string,
    @Param('applicationId') applicationId: string,
    @Body() body: ReviewDto,
    @Ctx() context: CommandContext,
  ) {
    return this.commands.execute(new ReviewProfessionalCommand(investorId, applicationId, body.approve, body.reason ?? '', context));
  }

  @Get('return-visits')
  @Roles('compliance_officer')
  @ApiOperation({ summary: 'The return-visit queue (compliance)' })
  @ApiQuery({ name: 'status', required: false, enum: ['queued', 'completed'] })
  @ApiOkResponse({ type: [ReturnVisitQueueItem] })
  returnVisits(@Query('status') status = 'queued') {
    return this.queries.returnVisits(status);
  }

  @Post('return-visits/:engagementId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete a return visit with its checklist (compliance)' })
  @ApiOkResponse({ type: EngagementResponse })
  @ApiErrors({
    403: ['RETURN_VISIT.STAFF_IN_SALES, RETURN_VISIT.NOT_COMPLIANCE_STAFF (A8): compliance staff outside sales'],
    404: ['ENGAGEMENT.NOT_FOUND'],
    409: ['RETURN_VISIT.NOT_QUEUED, RETURN_VISIT.ALREADY_COMPLETED, RETURN_VISIT.CONTRACT_RESCINDED'],
    422: [
      'RETURN_VISIT.COOLING_OFF (A8): not before the cooling-off period ends',
      'RETURN_VISIT.CHECKLIST_INCOMPLETE (A8): every checklist item is answered',
    ],
  })
  completeReturnVisit(@Param('engagementId') engagementId: string, @Body() body: ReturnVisitDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new CompleteReturnVisitCommand(engagementId, { ...body.checklist }, body.notes, context));
  }

  @Post('investors/:investorId/personal-data/shredding')
  @HttpCode(200)
  @Roles('compliance_officer')
  @ApiOperation({ summary: "Crypto-shred an investor's personal data (E3)" })
  @ApiOkResponse({
    description: "the person's vault key, registration data and sign-in are destroyed; advisory and identity record the shredding (E3)",
    type: ShreddedResponse,
  })
  @ApiErrors({
    400: ['IDENTITY.UNKNOWN_USER: no such user', 'IDENTITY.SHRED_REASON_REQUIRED, ACCOUNT.SHRED_REASON_REQUIRED (E3): state the reason'],
    403: ['IDENTITY.SHREDDING_COMPLIANCE_ONLY: compliance officers only'],
    409: ['ACCOUNT.ALREADY_SHREDDED (E3)'],
  })
  shred(@Param('investorId') investorId: string, @Body() body: ShredDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new ShredPersonalDataCommand(investorId, body.reason, context));
  }
}
