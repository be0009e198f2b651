import { Module } from '@nestjs/common';
import { CatalogService } from './catalog.service';

/** Needs DbModule and MessagingModule (both global) in the importing app. */
@Module({ providers: [CatalogService], exports: [CatalogService] })
export class CatalogModule {}
