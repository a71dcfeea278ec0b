import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { ValidationFailed } from './validation';

/** A typed body must be a JSON object: `[]`, `"text"` or `42` are refused before validation. */
@Injectable()
export class JsonObjectBodyPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' || !metadata.metatype || metadata.metatype === Object) return value;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new ValidationFailed([{ field: 'body', message: 'the body must be a JSON object' }]);
    }
    return value;
  }
}
