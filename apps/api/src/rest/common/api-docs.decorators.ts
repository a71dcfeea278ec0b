import { applyDecorators, Type } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiPreconditionFailedResponse,
  ApiResponse,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
  getSchemaPath,
} from '@nestjs/swagger';

const problem = { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };

/** The answers every signed-in route can give. */
export const ApiSignedIn = () =>
  applyDecorators(
    ApiBearerAuth(),
    ApiBadRequestResponse({ description: 'Invalid input; `errors` names each field', ...problem }),
    ApiUnauthorizedResponse({ description: 'No valid bearer token', ...problem }),
    ApiForbiddenResponse({ description: 'Your role cannot do this', ...problem }),
  );

export const ApiFound = () =>
  ApiNotFoundResponse({ description: 'No such record, or it is outside what you may see', ...problem });

export const ApiRefused = () =>
  ApiUnprocessableEntityResponse({ description: 'Refused by a business rule (`rule` names it)', ...problem });

/** A conditional update: If-Match required, 412 when stale, 428 when missing. */
export const ApiConditionalUpdate = () =>
  applyDecorators(
    ApiHeader({ name: 'If-Match', required: true, description: 'The ETag from your last read' }),
    ApiPreconditionFailedResponse({ description: 'Changed since you read it (stale If-Match)', ...problem }),
    ApiResponse({ status: 428, description: 'If-Match missing', ...problem }),
  );

export const ApiPage = (item: Type<unknown>) =>
  applyDecorators(
    ApiExtraModels(item),
    ApiOkResponse({
      schema: {
        type: 'object',
        required: ['items', 'nextCursor'],
        properties: {
          items: { type: 'array', items: { $ref: getSchemaPath(item) } },
          nextCursor: { type: 'string', nullable: true, description: 'Pass as ?cursor= for the next page' },
        },
      },
    }),
  );

export const ApiEtagged = (type: Type<unknown>, status = 200) =>
  ApiResponse({
    status,
    type,
    headers: { ETag: { description: 'The version to send back in If-Match', schema: { type: 'string' } } },
  });
