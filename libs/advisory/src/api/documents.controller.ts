/**
 * The documents investors confirm (A1 consent, A6 risk disclosure, A5 special risk warning), served by version: the
 * bytes of a version are exactly the text whose SHA-256 a confirmation must carry, and the response says that hash in
 * its headers (RFC 9530 Content-Digest, and hex in Document-SHA256). Public: anyone holding a confirmation in the log
 * can fetch the text it names and check its hash. The contract is rendered per engagement and served by its preview.
 */
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError } from '@app/common';
import { Public } from '@app/identity';
import { ApiErrors } from '@app/platform';
import { DOCUMENT_KINDS, DocumentKind, DocumentVersion, contentHash, documentVersions, findDocument, isCurrentDocument } from '../domain';
import { DocumentVersionResponse } from './advisory.responses';

/**
 * Prepares a response whose body is exactly the document's UTF-8 text, naming its SHA-256 in the headers, and gives the
 * body (a string is sent as its UTF-8 bytes).
 */
export const sendDocumentText = (res: { setHeader(name: string, value: string): unknown }, doc: DocumentVersion): string => {
  const digest = contentHash(doc.text);
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Digest', `sha-256=:${Buffer.from(digest, 'hex').toString('base64')}:`);
  res.setHeader('Document-SHA256', digest);
  res.setHeader('Document-Version', doc.version);
  res.setHeader('ETag', `"${digest}"`);
  return doc.text;
};

const describe = (doc: DocumentVersion) => ({
  documentId: doc.documentId,
  kind: doc.kind,
  version: doc.version,
  current: isCurrentDocument(doc),
  contentHash: contentHash(doc.text),
  url: `/advisory/documents/${doc.kind}/${encodeURIComponent(doc.version)}`,
  text: doc.text,
});

@ApiTags('advisory')
@Public()
@Controller('advisory/documents')
export class DocumentsController {
  @Get()
  @ApiQuery({ name: 'current', required: false, description: 'true: only the versions new confirmations are made against' })
  @ApiOperation({ summary: 'The documents investors confirm, every served version with its text and hash' })
  @ApiOkResponse({
    description: 'every served document version with its text, SHA-256 content hash and whether it is current (A1, A5, A6)',
    type: [DocumentVersionResponse],
  })
  list(@Query('current') current?: string) {
    return documentVersions()
      .filter((doc) => current !== 'true' || isCurrentDocument(doc))
      .map(describe);
  }

  @Get(':kind/:version')
  @ApiProduces('text/plain')
  @ApiOperation({ summary: 'The exact text of a document version' })
  @ApiParam({ name: 'kind', enum: DOCUMENT_KINDS })
  @ApiOkResponse({
    description: 'the exact UTF-8 text of this version; Content-Digest and Document-SHA256 carry its SHA-256',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiErrors({ 404: ['DOCUMENT.NOT_FOUND (A6): no served document of that kind and version'] })
  serve(@Param('kind') kind: string, @Param('version') version: string, @Res({ passthrough: true }) res: Response): string {
    const doc = (DOCUMENT_KINDS as readonly string[]).includes(kind) ? findDocument(kind as DocumentKind, version) : undefined;
    if (!doc) {
      const hint =
        kind === 'advisory_contract' ? ': a contract is rendered per engagement, see GET /advisory/engagements/:id/contract-preview' : '';
      throw new DomainError('not_found', 'DOCUMENT.NOT_FOUND', `no served document ${kind} ${version}${hint}`, 'A6');
    }
    return sendDocumentText(res, doc);
  }
}
