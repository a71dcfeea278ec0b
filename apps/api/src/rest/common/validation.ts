import { BadRequestException, ValidationError, ValidationPipeOptions } from '@nestjs/common';
import { FieldError } from '@rt/domain';

/** Request input that failed validation; carries every field error, named by its path (`owner.email`). */
export class ValidationFailed extends BadRequestException {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  }
}

export function fieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent
      ? /^\d+$/.test(e.property)
        ? `${parent}[${e.property}]`
        : `${parent}.${e.property}`
      : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({
      field,
      message: message.startsWith(`${e.property} `) ? message : message,
    }));
    return [...own, ...fieldErrors(e.children ?? [], field)];
  });
}

/** Unknown fields are refused (not silently dropped) and nothing reaches a handler untyped. */
export const VALIDATION_OPTIONS: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => new ValidationFailed(fieldErrors(errors)),
};
