import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, Repository } from 'typeorm';
import { notFound } from '@app/common';
import { ListingView } from '../../projections/listing-view.entity';

export interface BrowseFilters {
  readonly kind?: string;
  readonly billingPeriod?: string;
  readonly q?: string;
  readonly maxPriceMinor?: number;
  readonly limit: number;
  readonly offset: number;
}

export interface ManageFilters {
  readonly status?: string;
  readonly family?: string;
  readonly limit: number;
  readonly offset: number;
}

/** Reads of the catalog_listings projection, for the catalog API and for other contexts (value-added purchases). */
@Injectable()
export class CatalogQueries {
  constructor(@InjectRepository(ListingView) private readonly listings: Repository<ListingView>) {}

  /**
   * Investor browsing lists published value-added listings only: advisory products are offered through the advisory
   * context, which shows an investor only what matches their suitability (A5: never list an above-level product).
   */
  async browse(filters: BrowseFilters) {
    const query = this.listings
      .createQueryBuilder('l')
      .where('l.status = :status', { status: 'published' })
      .andWhere('l.family = :family', { family: 'value_added' });
    if (filters.kind) query.andWhere('l.kind = :kind', { kind: filters.kind });
    if (filters.maxPriceMinor !== undefined) query.andWhere('l.min_price_minor <= :max', { max: filters.maxPriceMinor });
    if (filters.billingPeriod)
      query.andWhere(`l.plans @> :plan::jsonb`, { plan: JSON.stringify([{ billingPeriod: filters.billingPeriod }]) });
    if (filters.q) {
      const like = `%${filters.q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
      query.andWhere(new Brackets((where) => where.where('l.title ILIKE :like', { like }).orWhere('l.description ILIKE :like', { like })));
    }
    const [items, total] = await query
      .orderBy('l.published_at', 'DESC')
      .addOrderBy('l.listing_id', 'ASC')
      .take(filters.limit)
      .skip(filters.offset)
      .getManyAndCount();
    return { items: items.map(toPublic), total, limit: filters.limit, offset: filters.offset };
  }

  async manage(filters: ManageFilters) {
    const where: Record<string, string> = {};
    if (filters.status) where.status = filters.status;
    if (filters.family) where.family = filters.family;
    const [items, total] = await this.listings.findAndCount({
      where,
      order: { updatedAt: 'DESC', listingId: 'ASC' },
      take: filters.limit,
      skip: filters.offset,
    });
    return { items, total, limit: filters.limit, offset: filters.offset };
  }

  async get(listingId: string): Promise<ListingView> {
    const listing = await this.listings.findOneBy({ listingId });
    if (!listing) throw notFound('CATALOG.LISTING_NOT_FOUND', `listing ${listingId} does not exist`);
    return listing;
  }

  /** A listing investors can see and buy (L1: only published listings are sold). */
  async getPublished(listingId: string): Promise<ListingView> {
    const listing = await this.listings.findOneBy({ listingId, status: 'published' });
    if (!listing) throw notFound('CATALOG.LISTING_NOT_FOUND', `no published listing ${listingId}`);
    return listing;
  }
}

const toPublic = (listing: ListingView) => ({
  listingId: listing.listingId,
  family: listing.family,
  kind: listing.kind,
  title: listing.title,
  description: listing.description,
  plans: listing.plans,
  publishedAt: listing.publishedAt,
});
