import {
  AssignRoleHandler,
  CreateGroupHandler,
  InviteMemberHandler,
  JoinGroupHandler,
  LeaveGroupHandler,
  ModerateMemberHandler,
} from './groups';
import { RegisterHostHandler, ScheduleSessionHandler, SessionActionHandler } from './hosts-live';
import { RequestPayoutHandler, RunPayoutsHandler } from './payouts';
import { HidePostHandler, PublishGroupAdviceHandler, PublishPostHandler, ReportPostHandler } from './posts';
import { ChargebackCommunityTipHandler, RefundCommunityTipHandler, SendCommunityTipHandler } from './tips';

export * from './groups';
export * from './hosts-live';
export * from './payouts';
export * from './posts';
export * from './tips';

export const COMMUNITY_COMMAND_HANDLERS = [
  CreateGroupHandler,
  InviteMemberHandler,
  JoinGroupHandler,
  LeaveGroupHandler,
  AssignRoleHandler,
  ModerateMemberHandler,
  PublishPostHandler,
  PublishGroupAdviceHandler,
  ReportPostHandler,
  HidePostHandler,
  RegisterHostHandler,
  ScheduleSessionHandler,
  SessionActionHandler,
  SendCommunityTipHandler,
  RefundCommunityTipHandler,
  ChargebackCommunityTipHandler,
  RequestPayoutHandler,
  RunPayoutsHandler,
];
