import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { ValidationFailed } from './validation';

/** Path ids are uuids; anything else is a 400 naming the parameter. */
@Injectable()
export class UuidPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (!isUUID(value, 'all')) {
      const field = metadata.data ?? 'id';
      throw new ValidationFailed([{ field, message: `${field} must be a UUID` }]);
    }
    return value.toLowerCase();
  }
}
