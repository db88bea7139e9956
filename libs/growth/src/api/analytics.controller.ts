/** The product team's analytics over HTTP, as JSON or CSV (`?format=csv`): role product_manager (or admin). */
import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorResponse, Roles } from '@app/identity';
import { AnalyticsService } from '../application/analytics.service';
import { toCsv } from './csv';
import {
  ActiveUsersResponse,
  CohortQuery,
  CohortResponse,
  DayQuery,
  DefinitionDto,
  DefinitionResponse,
  FormatQuery,
  FunnelQuery,
  FunnelResponse,
  MauResponse,
  MonthQuery,
  PeriodQuery,
  RevenueResponse,
  RfmResponse,
} from './growth.dto';

interface CsvResponse {
  type(contentType: string): void;
  setHeader(name: string, value: string): void;
}

const definitionsNote = (definitions: readonly { version: number }[]) =>
  definitions.map((definition) => `v${definition.version}`).join(' ');

/** JSON as is, or CSV with the definition versions in a header (every metric says which definition it used). */
const answer = <T>(
  format: string | undefined,
  response: CsvResponse,
  body: T,
  csv: () => { columns: string[]; rows: Record<string, unknown>[]; definitions?: string },
): T | string => {
  if (format !== 'csv') return body;
  const table = csv();
  response.type('text/csv');
  if (table.definitions !== undefined) response.setHeader('X-Activity-Definitions', table.definitions);
  return toCsv(table.columns, table.rows);
};

@ApiTags('growth')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'AUTH.UNAUTHENTICATED', type: ErrorResponse })
@ApiForbiddenResponse({ description: 'AUTH.ROLE_REQUIRED', type: ErrorResponse })
@ApiBadRequestResponse({ description: 'VALIDATION.FAILED, GROWTH.BAD_PERIOD', type: ErrorResponse })
@Roles('product_manager', 'admin')
@Controller('growth')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Get('definitions')
  @ApiOperation({ summary: 'The versioned activity definitions (what counts as active, from which day)' })
  @ApiOkResponse({ type: [DefinitionResponse] })
  definitions() {
    return this.analytics.definitions();
  }

  @Post('definitions')
  @ApiOperation({ summary: 'A new activity definition from a future day on; days already counted keep theirs' })
  @ApiCreatedResponse({ type: DefinitionResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION.FAILED, GROWTH.BAD_PERIOD, GROWTH.DEFINITION_NOT_IN_FUTURE', type: ErrorResponse })
  addDefinition(@Body() body: DefinitionDto) {
    return this.analytics.addDefinition(body.effectiveFrom, body.activityTypes, body.description);
  }

  @Get('active-users')
  @ApiOperation({ summary: 'DAU, WAU and MAU of a day (Asia/Shanghai), with the definitions used' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: ActiveUsersResponse })
  async activeUsers(@Query() query: DayQuery, @Res({ passthrough: true }) response: CsvResponse) {
    const body = await this.analytics.activeUsers(query.day);
    return answer(query.format, response, body, () => ({
      columns: ['day', 'dau', 'week', 'wau', 'month', 'mau', 'definitions'],
      rows: [{ ...body, definitions: definitionsNote(body.definitions) }],
      definitions: definitionsNote(body.definitions),
    }));
  }

  @Get('mau')
  @ApiOperation({
    summary: 'The month’s MAU identity: retained + new + returned, and churned (MAU = last month − churned + new + returned)',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: MauResponse })
  async mau(@Query() query: MonthQuery, @Res({ passthrough: true }) response: CsvResponse) {
    const body = await this.analytics.mau(query.month);
    return answer(query.format, response, body, () => ({
      columns: ['month', 'mau', 'lastMonth', 'mauLastMonth', 'retained', 'new', 'returned', 'churned', 'identityHolds', 'definitions'],
      rows: [{ ...body, definitions: definitionsNote(body.definitions) }],
      definitions: definitionsNote(body.definitions),
    }));
  }

  @Get('cohorts')
  @ApiOperation({ summary: 'Retention by registration week: active investors of each cohort in each following week' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: CohortResponse })
  async cohorts(@Query() query: CohortQuery, @Res({ passthrough: true }) response: CsvResponse) {
    const weeks = query.weeks ?? 8;
    const body = await this.analytics.cohorts(query.from, weeks);
    return answer(query.format, response, body, () => ({
      columns: ['cohortWeek', 'registered', ...Array.from({ length: weeks }, (_, i) => `week${i}`)],
      rows: body.cohorts.map((cohort) => ({
        cohortWeek: cohort.cohortWeek,
        registered: cohort.registered,
        ...Object.fromEntries(cohort.activeByWeek.map((n, i) => [`week${i}`, n])),
      })),
      definitions: definitionsNote(body.definitions),
    }));
  }

  @Get('funnel')
  @ApiOperation({
    summary:
      'The conversion funnel of a product kind (感知业务 → … → 进行交易) for investors aware in [from, to): counts, conversion and median time between stages',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: FunnelResponse })
  async funnel(@Query() query: FunnelQuery, @Res({ passthrough: true }) response: CsvResponse) {
    const body = await this.analytics.funnel(query.productKind, query.from, query.to);
    return answer(query.format, response, body, () => ({
      columns: ['stage', 'investors', 'conversionFromPrevious', 'medianHoursFromPrevious'],
      rows: body.stages.map((stage) => ({ ...stage })),
    }));
  }

  @Get('rfm')
  @ApiOperation({ summary: 'RFM segments of the latest scoring (quintiles of recency, frequency and monetary value of captured payments)' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: RfmResponse })
  async rfm(@Query() query: FormatQuery, @Res({ passthrough: true }) response: CsvResponse) {
    const body = await this.analytics.rfm();
    return answer(query.format, response, body, () => ({
      columns: ['segment', 'investors', 'monetaryMinor'],
      rows: body.segments.map((segment) => ({ ...segment })),
    }));
  }

  @Post('rfm/refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rescore every payer now (quintiles of the whole paying population)' })
  @ApiOkResponse({ type: RfmResponse })
  refreshRfm() {
    return this.analytics.refreshRfm();
  }

  @Get('revenue')
  @ApiOperation({ summary: 'Captured revenue per month, by family (value_added, advisory) and kind' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: RevenueResponse })
  async revenue(@Query() query: PeriodQuery, @Res({ passthrough: true }) response: CsvResponse) {
    const rows = await this.analytics.revenue(query.from, query.to);
    return answer(query.format, response, { rows }, () => ({
      columns: ['month', 'family', 'kind', 'currency', 'amountMinor', 'payments'],
      rows: rows.map((row) => ({ ...row })),
    }));
  }
}
