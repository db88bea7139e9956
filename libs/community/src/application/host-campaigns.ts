/**
 * The reach adapter of the `HostCampaigns` port: a group owner's or host's message to the group's members is a reach
 * campaign whose audience is `group_members`, created and run through reach's public campaign path. So the template
 * passes the content guard and names only a published product (V3, G3), and the fan-out applies consent (G1), caps
 * and quiet hours (G2), the advisory suitability filter per member (G3: an advisory product reaches only members whose
 * matching opinion allows it; the others are counted by refusal code in the campaign's report) and attribution (G4).
 * Hosts attach no incentive. Reach's CampaignRunner is only called, never changed.
 */
import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContext, IdGenerator } from '@app/common';
import { CampaignRunner, CreateCampaignCommand, ReachCompliance } from '@app/reach';
import { campaignSenderRefusal } from '../domain';
import { HostCampaignAnswer, HostCampaignRequest, HostCampaigns } from './growth-hooks';
import { CommunityReads } from './reads';

/** How long after a host's message the campaign's report measures members' return (the reach outcome). */
const RETURN_WINDOW_DAYS = 7;

@Injectable()
export class ReachHostCampaigns extends HostCampaigns {
  constructor(
    private readonly commands: CommandBus,
    private readonly runner: CampaignRunner,
    private readonly compliance: ReachCompliance,
    private readonly reads: CommunityReads,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
  ) {
    super();
  }

  async send(request: HostCampaignRequest, context: CommandContext): Promise<HostCampaignAnswer> {
    const group = await this.reads.group(request.groupId);
    const refused = campaignSenderRefusal(await this.reads.role(group.groupId, context.actor.id));
    if (refused) throw refused;
    const template = await this.compliance.template({ title: request.title, body: request.body, productId: request.productId });
    const campaignId = this.ids.next();
    await this.commands.execute(
      new CreateCampaignCommand(
        {
          campaignId,
          name: `${group.name}: ${request.title}`,
          segment: { kind: 'group_members', groupId: group.groupId },
          channel: request.channel,
          template,
          schedule: { kind: 'once' },
          controlPercent: 0,
          outcome: { kind: 'returned', days: RETURN_WINDOW_DAYS },
        },
        context,
      ),
    );
    const run = await this.runner.run(campaignId, context);
    return { campaignId, groupId: group.groupId, status: run.status, batches: run.batches, deferredUntil: run.deferredUntil };
  }
}
