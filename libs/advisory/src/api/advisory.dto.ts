import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ASSETS_BANDS, CONTACT_SOURCES, ContactSource, GOALS, HORIZONS, INCOME_BANDS, RETURN_VISIT_CHECKLIST, VARIETIES } from '../domain';

export class ObjectivesDto {
  @ApiProperty({ enum: GOALS }) @IsIn(GOALS) goal: (typeof GOALS)[number];
  @ApiProperty({ enum: VARIETIES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(VARIETIES.length)
  @IsIn(VARIETIES, { each: true })
  varieties: (typeof VARIETIES)[number][];
  @ApiProperty({ enum: HORIZONS }) @IsIn(HORIZONS) horizon: (typeof HORIZONS)[number];
}

export class ProfileDto {
  @ApiProperty({ example: 'software engineer' }) @IsString() @MinLength(1) @MaxLength(100) occupation: string;
  @ApiProperty({ enum: INCOME_BANDS }) @IsIn(INCOME_BANDS) incomeBand: (typeof INCOME_BANDS)[number];
  @ApiProperty({ enum: ASSETS_BANDS }) @IsIn(ASSETS_BANDS) assetsBand: (typeof ASSETS_BANDS)[number];
  @ApiProperty({ example: 3 }) @IsInt() @Min(0) @Max(80) experienceYears: number;
  @ApiProperty({ type: ObjectivesDto }) @IsDefined() @ValidateNested() @Type(() => ObjectivesDto) objectives: ObjectivesDto;
}

export class OpenAccountDto {
  @ApiProperty({ example: '张三' }) @IsString() @MaxLength(64) legalName: string;
  @ApiProperty({ example: '11010519491231002X', description: '18-character GB 11643 citizen identity number' })
  @IsString()
  @MaxLength(18)
  nationalId: string;
  @ApiProperty({ example: '13812345678' }) @IsString() @MaxLength(20) mobile: string;
  @ApiProperty({ type: ProfileDto }) @IsDefined() @ValidateNested() @Type(() => ProfileDto) profile: ProfileDto;
  @ApiProperty({ description: 'separate consent to process sensitive personal information (PIPL 29)' })
  @IsBoolean()
  sensitiveDataConsent: boolean;
  @ApiProperty({
    description: 'SHA-256 of the consent text shown: the current sensitive_data_consent version served at GET /advisory/documents (A1)',
  })
  @Matches(/^[0-9a-f]{64}$/)
  consentTextHash: string;
}

export class EvidenceDocumentDto {
  @ApiProperty({ example: 'brokerage_statement' }) @IsString() @MaxLength(50) kind: string;
  @ApiProperty() @Matches(/^[0-9a-f]{64}$/) contentHash: string;
}

export class ProfessionalApplicationDto {
  @ApiPropertyOptional({ description: 'financial assets in fen' }) @IsOptional() @IsInt() @Min(0) financialAssetsMinor?: number;
  @ApiPropertyOptional({ description: 'average annual income over 3 years in fen' })
  @IsOptional()
  @IsInt()
  @Min(0)
  averageAnnualIncome3yMinor?: number;
  @ApiProperty() @IsInt() @Min(0) @Max(80) experienceYears: number;
  @ApiProperty({ type: [EvidenceDocumentDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => EvidenceDocumentDto)
  documents: EvidenceDocumentDto[];
}

export class ReviewDto {
  @ApiProperty() @IsBoolean() approve: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) reason?: string;
}

export class AssessmentDto {
  @ApiProperty({ example: { q01_civil_capacity: 'a' }, description: 'question id → option id' }) @IsObject() answers: Record<
    string,
    string
  >;
  @ApiPropertyOptional({ example: 'RQ-2025.1' }) @IsOptional() @IsString() @MaxLength(40) questionnaireVersion?: string;
}

export class MaterialChangeDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(1000) description: string;
  @ApiProperty({ type: ProfileDto }) @IsDefined() @ValidateNested() @Type(() => ProfileDto) profile: ProfileDto;
}

export class MatchDto {
  @ApiProperty() @IsString() @MaxLength(100) productId: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) planId?: string;
  @ApiProperty({
    enum: ['investor', 'recommendation', 'push'],
    description:
      'who the client says initiated the purchase; a contact the firm recorded about the product within the attribution window overrides it (A5)',
  })
  @IsIn(['investor', 'recommendation', 'push'])
  initiatedBy: 'investor' | 'recommendation' | 'push';
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) recommendationId?: string;
  @ApiPropertyOptional({ description: 'match again within an existing engagement (after a re-rating)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  engagementId?: string;
}

export class SuitabilityCheckDto {
  @ApiProperty() @IsString() @MaxLength(100) productId: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) planId?: string;
  @ApiProperty({ enum: ['investor', 'recommendation', 'push'] }) @IsIn(['investor', 'recommendation', 'push']) initiatedBy:
    'investor' | 'recommendation' | 'push';
}

export class DocumentConfirmationDto {
  @ApiProperty({ description: 'sha256 of the exact document text shown' }) @Matches(/^[0-9a-f]{64}$/) contentHash: string;
}

export class InsistenceDto {
  @ApiProperty({ example: '我已知晓风险，坚持购买' }) @IsString() @MinLength(1) @MaxLength(1000) statement: string;
}

/** The serial is assigned by the server (A6): a body naming one is refused (400). */
export class ContractDto {
  @ApiPropertyOptional({
    description:
      'content hash of the contract preview the investor saw; if given, signing is refused (CONTRACT.PREVIEW_OUTDATED) when the contract to sign differs, e.g. because another signing took that serial first',
  })
  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/)
  contentHash?: string;
}

export class ContactDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) productId: string;
  @ApiProperty({ enum: CONTACT_SOURCES }) @IsIn(CONTACT_SOURCES) source: ContactSource;
  @ApiPropertyOptional({ description: 'a campaign id, a recommendation id, a call note reference' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reference?: string;
}

export class PurchaseDto {
  @ApiPropertyOptional({ description: 'coupon codes, points or cash-back; always refused on advisory products (V2)', type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  coupons?: string[];

  @ApiPropertyOptional({ example: 'sandbox_ok', description: 'the payment method token the provider charges (sandbox_decline fails)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  paymentMethod?: string;
}

export class RescissionDto {
  @ApiProperty({ description: 'the written rescission notice' }) @IsString() @MinLength(1) @MaxLength(2000) notice: string;
}

export class ChecklistDto {
  @ApiProperty() @IsBoolean() identity: boolean;
  @ApiProperty() @IsBoolean() understood_contract_and_risks: boolean;
  @ApiProperty() @IsBoolean() suitability: boolean;
  @ApiProperty() @IsBoolean() fees: boolean;
  @ApiProperty() @IsBoolean() loss_awareness: boolean;
  @ApiProperty() @IsBoolean() rescission_rights: boolean;
  @ApiProperty() @IsBoolean() dispute_route: boolean;
}
export const CHECKLIST_ITEMS = RETURN_VISIT_CHECKLIST;

export class ReturnVisitDto {
  @ApiProperty({ type: ChecklistDto }) @IsDefined() @ValidateNested() @Type(() => ChecklistDto) checklist: ChecklistDto;
  @ApiProperty() @IsString() @MaxLength(2000) notes: string;
}

export class ShredDto {
  @ApiProperty({ example: 'PIPL 47 deletion request' }) @IsString() @MinLength(1) @MaxLength(500) reason: string;
}

export class BasisDto {
  @ApiProperty({ enum: ['research_report', 'model'] }) @IsIn(['research_report', 'model']) kind: 'research_report' | 'model';
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) issuer?: string;
  @ApiPropertyOptional({ example: '2026-02-27' }) @IsOptional() @IsString() @MaxLength(10) reportDate?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) title?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) modelVersion?: string;
}

export class AdviceDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(5000) content: string;
  @ApiProperty({ type: BasisDto }) @IsDefined() @ValidateNested() @Type(() => BasisDto) basis: BasisDto;
}
