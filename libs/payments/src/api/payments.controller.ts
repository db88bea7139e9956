import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CommandContext, notFound } from '@app/common';
import { ErrorResponse, MoneyRoute, Public, Roles } from '@app/identity';
import { AuthenticatedUser, Ctx, Idempotent } from '@app/platform';
import { RefundPaymentCommand } from '../application/commands/refund-payment/refund-payment.handler';
import { PaymentsService } from '../application/payments.service';
import { PaymentView } from '../projections/payment-view.entity';
import { GatewayNotificationDto, RefundDto } from './payments.dto';

const STAFF = ['compliance_officer', 'admin'];

@ApiTags('payments')
@Controller()
export class PaymentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly payments: PaymentsService,
    @InjectRepository(PaymentView) private readonly views: Repository<PaymentView>,
  ) {}

  @Get('me/payments')
  @ApiBearerAuth()
  mine(@Req() request: { user: AuthenticatedUser }) {
    return this.views.find({ where: { payerId: request.user.id }, order: { createdAt: 'DESC' }, take: 100 });
  }

  @Get('payments/:paymentId')
  @ApiBearerAuth()
  @ApiNotFoundResponse({ description: 'PAYMENTS.NOT_FOUND (also for another investor’s payment)', type: ErrorResponse })
  async get(@Param('paymentId', ParseUUIDPipe) paymentId: string, @Req() request: { user: AuthenticatedUser }) {
    const view = await this.views.findOneBy({ paymentId });
    const user = request.user;
    if (!view || (view.payerId !== user.id && !user.roles.some((role) => STAFF.includes(role)))) throw notFound('PAYMENTS.NOT_FOUND', `payment ${paymentId} does not exist`);
    return view;
  }

  @Post('payments/:paymentId/refunds')
  @Roles('compliance_officer', 'admin')
  @MoneyRoute()
  @Idempotent()
  @ApiBearerAuth()
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'same key and body replays the first response (header Idempotent-Replayed: true)' })
  @ApiCreatedResponse({ description: 'refund requested; the provider confirms it asynchronously' })
  @ApiBadRequestResponse({ description: 'IDEMPOTENCY.KEY_REQUIRED, VALIDATION.FAILED', type: ErrorResponse })
  @ApiConflictResponse({ description: 'IDEMPOTENCY.IN_PROGRESS, PAYMENTS.NOT_CAPTURED', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({ description: 'PAYMENTS.REFUND_EXCEEDS_CAPTURED, IDEMPOTENCY.KEY_REUSED', type: ErrorResponse })
  refund(@Param('paymentId', ParseUUIDPipe) paymentId: string, @Body() body: RefundDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new RefundPaymentCommand(paymentId, body.amountMinor, body.reason, context));
  }

  @Public()
  @Post('payments/notifications/sandbox')
  @HttpCode(204)
  @ApiHeader({ name: 'X-Sandbox-Signature', required: true, description: 'hex HMAC-SHA256 of the canonical JSON body' })
  @ApiUnauthorizedResponse({ description: 'PAYMENTS.BAD_SIGNATURE', type: ErrorResponse })
  async notification(@Body() body: GatewayNotificationDto, @Headers('x-sandbox-signature') signature: string | undefined): Promise<void> {
    await this.payments.receive({ ...body }, signature ?? '');
  }
}
