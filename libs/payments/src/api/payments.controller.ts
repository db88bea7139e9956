import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CommandContext, notFound } from '@app/common';
import { MoneyRoute, Public, Roles } from '@app/identity';
import { ApiErrors, AuthenticatedUser, Ctx, Idempotent } from '@app/platform';
import { RefundPaymentCommand } from '../application/commands/refund-payment/refund-payment.handler';
import { PaymentsService } from '../application/payments.service';
import { PaymentView } from '../projections/payment-view.entity';
import { GatewayNotificationDto, RefundDto } from './payments.dto';
import { PaymentResponse, RefundAcceptedResponse } from './payments.responses';

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
  @ApiOperation({ summary: 'My payments, newest first' })
  @ApiOkResponse({ type: [PaymentResponse] })
  mine(@Req() request: { user: AuthenticatedUser }) {
    return this.views.find({ where: { payerId: request.user.id }, order: { createdAt: 'DESC' }, take: 100 });
  }

  @Get('payments/:paymentId')
  @ApiOperation({ summary: 'A payment with its refunds (the payer, compliance or an admin)' })
  @ApiOkResponse({ type: PaymentResponse })
  @ApiErrors({ 404: ["PAYMENTS.NOT_FOUND: no such payment (also for another investor's payment)"] })
  async get(@Param('paymentId', ParseUUIDPipe) paymentId: string, @Req() request: { user: AuthenticatedUser }) {
    const view = await this.views.findOneBy({ paymentId });
    const user = request.user;
    if (!view || (view.payerId !== user.id && !user.roles.some((role) => STAFF.includes(role))))
      throw notFound('PAYMENTS.NOT_FOUND', `payment ${paymentId} does not exist`);
    return view;
  }

  @Post('payments/:paymentId/refunds')
  @Roles('compliance_officer', 'admin')
  @MoneyRoute()
  @Idempotent()
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'same key and body replays the first response (header Idempotent-Replayed: true)',
  })
  @ApiOperation({ summary: 'Refund a captured payment, in part or in full (E1)' })
  @ApiCreatedResponse({ description: 'refund requested; the provider confirms it asynchronously', type: RefundAcceptedResponse })
  @ApiErrors({
    400: ['IDEMPOTENCY.KEY_REQUIRED, IDEMPOTENCY.KEY_INVALID', 'PAYMENTS.AMOUNT_INVALID, PAYMENTS.REFUND_REASON_REQUIRED (E1)'],
    404: ['PAYMENTS.NOT_FOUND: no such payment'],
    409: ['PAYMENTS.NOT_CAPTURED (E1): nothing captured to refund', 'IDEMPOTENCY.IN_PROGRESS'],
    422: ['PAYMENTS.REFUND_EXCEEDS_CAPTURED (E1): more than is still refundable (`details.refundableMinor`)', 'IDEMPOTENCY.KEY_REUSED'],
  })
  refund(@Param('paymentId', ParseUUIDPipe) paymentId: string, @Body() body: RefundDto, @Ctx() context: CommandContext) {
    return this.commands.execute(new RefundPaymentCommand(paymentId, body.amountMinor, body.reason, context));
  }

  @Public()
  @Post('payments/notifications/sandbox')
  @HttpCode(204)
  @ApiHeader({ name: 'X-Sandbox-Signature', required: true, description: 'hex HMAC-SHA256 of the canonical JSON body' })
  @ApiOperation({ summary: "The sandbox payment provider's signed notification (server to server)" })
  @ApiNoContentResponse({ description: 'recorded (captured, failed or refunded); a repeat is answered the same' })
  @ApiErrors({
    401: ['PAYMENTS.BAD_SIGNATURE: the signature does not verify'],
    403: ['PAYMENTS.STALE_NOTIFICATION: too old or from the future'],
    404: ['PAYMENTS.NOT_FOUND, PAYMENTS.REFUND_NOT_FOUND'],
    409: ['PAYMENTS.ALREADY_FAILED, PAYMENTS.CAPTURE_AMOUNT_MISMATCH'],
  })
  async notification(@Body() body: GatewayNotificationDto, @Headers('x-sandbox-signature') signature: string | undefined): Promise<void> {
    await this.payments.receive({ ...body }, signature ?? '');
  }
}
