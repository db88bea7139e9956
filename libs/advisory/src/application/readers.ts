/**
 * What command handlers read before deciding: the investor's standing (their own stream) and the product as the
 * catalog publishes it (the listing's stream). Commands read streams, not read models, so a decision never rests on
 * a projection that lags.
 */
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, notFound } from '@app/common';
import { listingDecider, listingStreamId } from '@app/catalog';
import { completedLessons, lessonProgressDecider, lessonProgressStreamId } from '@app/growth';
import { AggregateStore, DecisionReads } from '@app/platform';
import {
  AdvisoryProductSnapshot,
  EducationStanding,
  InvestorSnapshot,
  investorDecider,
  investorSnapshot,
  investorStreamId,
  InvestorState,
} from '../domain';
import { ADVISORY_SETTINGS, AdvisorySettings } from './advisory-settings';
import { advisoryProductFrom } from './catalog-product';

@Injectable()
export class AdvisoryReaders {
  constructor(
    private readonly store: AggregateStore,
    @Inject(ADVISORY_SETTINGS) private readonly settings: AdvisorySettings,
  ) {}

  /** `reads`: a decision's reads, which its append checks; without them, the log as it is now. */
  async investor(
    investorId: string,
    now: Date,
    reads: DecisionReads = this.store,
  ): Promise<{ state: InvestorState; snapshot: InvestorSnapshot }> {
    const { state } = await reads.load(investorDecider, investorStreamId(investorId));
    return { state, snapshot: investorSnapshot(state, investorId, now.toISOString(), this.settings.assessmentValidity) };
  }

  async product(productId: string, planId?: string, reads: DecisionReads = this.store): Promise<AdvisoryProductSnapshot> {
    const { state } = await reads.load(listingDecider, listingStreamId(productId));
    if (state.status === 'none') throw notFound('PRODUCT.NOT_FOUND', `no advisory product ${productId}`);
    // Every approved rating change is a new rating version; matching records the version it saw (A7, L4).
    const ratingVersion = 1 + (state.approvedRatingChanges ?? 0);
    const product = advisoryProductFrom(state, planId, ratingVersion);
    if (product instanceof DomainError) throw product;
    return product;
  }

  /**
   * G8 (education before products): the lessons the product's listing requires, and those of them the investor has
   * completed, from the growth context's lesson stream (read, and so a condition of the append, only when the listing
   * requires some: a lesson completed meanwhile makes the purchase decide again).
   */
  async education(investorId: string, productId: string, reads: DecisionReads = this.store): Promise<EducationStanding> {
    const { state } = await reads.load(listingDecider, listingStreamId(productId));
    const requiredLessons = state.status === 'none' ? [] : (state.content.requiredLessons ?? []);
    if (requiredLessons.length === 0) return { requiredLessons, completedLessons: [] };
    const progress = await reads.load(lessonProgressDecider, lessonProgressStreamId(investorId));
    return { requiredLessons, completedLessons: completedLessons(progress.state) };
  }
}
