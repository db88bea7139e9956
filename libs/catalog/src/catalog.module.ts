import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ListingsController } from './api/listings.controller';
import { ChangeListingHandler } from './application/commands/change-listing/change-listing.handler';
import { DraftListingHandler } from './application/commands/draft-listing/draft-listing.handler';
import { CatalogQueries } from './application/queries/catalog.queries';
import { ListingView } from './projections/listing-view.entity';
import { ListingsProjection } from './projections/listings.projection';

@Module({
  imports: [CqrsModule, TypeOrmModule.forFeature([ListingView])],
  controllers: [ListingsController],
  providers: [DraftListingHandler, ChangeListingHandler, CatalogQueries, ListingsProjection],
  exports: [CatalogQueries],
})
export class CatalogModule {}
