/**
 * The audiences a campaign can target: growth's segments (`SegmentSpec`, answered by growth's AudienceQuery) and the
 * members of a community group (`group_members`), answered by the community context, which registers its source at
 * start-up (reach does not depend on community). The campaign runner asks `AudienceQuery`; within the reach module
 * that is this class, so a group's members go through the same fan-out as any segment: consent (G1), caps and quiet
 * hours (G2), content and suitability (G3), attribution (G4).
 */
import { Inject, Injectable, Module } from '@nestjs/common';
import { AudienceQuery, GrowthModule, SegmentSpec } from '@app/growth';

export type ReachSegment = SegmentSpec | { readonly kind: 'group_members'; readonly groupId: string };

/** Member ids of a group, ascending, strictly after `after`, at most `limit` of them. */
export type GroupMembersSource = (groupId: string, asOf: Date, after: string | null, limit: number) => Promise<readonly string[]>;
/** Whether a group exists (a campaign to a group that does not is refused when it is created). */
export type GroupExists = (groupId: string) => Promise<boolean>;

const GROWTH_AUDIENCE = Symbol('GROWTH_AUDIENCE');

/** Growth's AudienceQuery under a name of its own, so that reach can answer AudienceQuery itself and still ask growth. */
@Module({ imports: [GrowthModule], providers: [{ provide: GROWTH_AUDIENCE, useExisting: AudienceQuery }], exports: [GROWTH_AUDIENCE] })
export class GrowthAudienceModule {}

@Injectable()
export class ReachAudience extends AudienceQuery {
  private groupMembers: GroupMembersSource | null = null;
  private groupExists: GroupExists | null = null;

  constructor(@Inject(GROWTH_AUDIENCE) private readonly growth: AudienceQuery) {
    super();
  }

  /** The community context's members of a group (one source; a second registration replaces the first). */
  registerGroupMembers(source: GroupMembersSource, exists: GroupExists): void {
    this.groupMembers = source;
    this.groupExists = exists;
  }

  /** Whether `group_members` can be answered for this group: false where no community context is wired, too. */
  async hasGroup(groupId: string): Promise<boolean> {
    return this.groupExists ? this.groupExists(groupId) : false;
  }

  page(spec: SegmentSpec, asOf: Date, after: string | null, limit: number): Promise<readonly string[]> {
    const segment = spec as ReachSegment;
    if (segment.kind !== 'group_members') return this.growth.page(segment, asOf, after, limit);
    if (!this.groupMembers) throw new Error('no source of group members is registered (the community module registers it)');
    return this.groupMembers(segment.groupId, asOf, after, limit);
  }
}
