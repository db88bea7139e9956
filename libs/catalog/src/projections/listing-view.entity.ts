import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AdvisoryTerms, Plan } from '../domain/listing';

const bigintAsNumber = { to: (value: number | null) => value, from: (value: string | null) => (value === null ? null : Number(value)) };

@Entity('catalog_listings')
export class ListingView {
  @PrimaryColumn('uuid', { name: 'listing_id' }) listingId: string;
  @Column('text') status: string;
  @Column('text') family: string;
  @Column('text') kind: string;
  @Column('text') title: string;
  @Column('text') description: string;
  @Column('jsonb') plans: Plan[];
  @Column('jsonb', { nullable: true }) advisory: AdvisoryTerms | null;
  @Column('text', { name: 'risk_level', nullable: true }) riskLevel: string | null;
  @Column('bigint', { name: 'min_price_minor', nullable: true, transformer: bigintAsNumber }) minPriceMinor: number | null;
  @Column('text', { name: 'created_by' }) createdBy: string;
  @Column('text', { name: 'submitted_by', nullable: true }) submittedBy: string | null;
  @Column('text', { name: 'reviewed_by', nullable: true }) reviewedBy: string | null;
  @Column('text', { name: 'review_note', nullable: true }) reviewNote: string | null;
  @Column('jsonb', { name: 'pending_rating_change', nullable: true }) pendingRatingChange: Record<string, unknown> | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
  @Column('timestamptz', { name: 'published_at', nullable: true }) publishedAt: Date | null;
}
