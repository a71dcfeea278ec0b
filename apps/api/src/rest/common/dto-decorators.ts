import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  ValidateIf,
  ValidationOptions,
} from 'class-validator';
import { isIsoDate } from '@rt/domain';

/** A real calendar date written YYYY-MM-DD (2026-02-30 is refused). */
export function IsIsoDate(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isIsoDate',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} must be a real date written YYYY-MM-DD`, ...options },
      validator: { validate: (value: unknown) => isIsoDate(value) },
    });
}

/** Text with something other than white space in it. */
export function IsNotBlank(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isNotBlank',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} must not be blank`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && value.trim().length > 0 },
    });
}

/** PostgreSQL text cannot hold the NUL character: refuse it here as a field error rather than fail in SQL. */
export function HasNoNulCharacter(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'hasNoNulCharacter',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} must not contain the NUL character`, ...options },
      validator: { validate: (value: unknown) => typeof value !== 'string' || !value.includes('\u0000') },
    });
}

/** Optional, but when present it must be a value: `null` is refused (use for fields that cannot be cleared). */
export function IsOptionalNotNull(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    ValidateIf((o: Record<string | symbol, unknown>) => o[propertyName] !== undefined)(target, propertyName);
}

/** Optional and clearable: absent leaves it, `null` clears it, anything else is validated. */
export function IsOptionalNullable(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    ValidateIf((o: Record<string | symbol, unknown>) => o[propertyName] !== undefined && o[propertyName] !== null)(
      target,
      propertyName,
    );
}

const noop: PropertyDecorator = () => undefined;

type FieldOptions = { description?: string; example?: unknown };

export const TextField = (max: number, opts: FieldOptions & { required?: boolean; nullable?: boolean } = {}) =>
  applyDecorators(
    opts.required === false || opts.nullable
      ? ApiPropertyOptional({ type: String, maxLength: max, nullable: opts.nullable, ...opts })
      : ApiProperty({ type: String, maxLength: max, ...opts }),
    opts.nullable ? IsOptionalNullable() : opts.required === false ? IsOptionalNotNull() : noop,
    IsString(),
    IsNotBlank(),
    HasNoNulCharacter(),
    MaxLength(max),
  );

export const DateField = (opts: FieldOptions & { required?: boolean; nullable?: boolean } = {}) =>
  applyDecorators(
    opts.required === false || opts.nullable
      ? ApiPropertyOptional({ type: String, format: 'date', nullable: opts.nullable, ...opts })
      : ApiProperty({ type: String, format: 'date', ...opts }),
    opts.nullable ? IsOptionalNullable() : opts.required === false ? IsOptionalNotNull() : noop,
    IsIsoDate(),
  );

export const UuidField = (opts: FieldOptions & { required?: boolean; nullable?: boolean } = {}) =>
  applyDecorators(
    opts.required === false || opts.nullable
      ? ApiPropertyOptional({ type: String, format: 'uuid', nullable: opts.nullable, ...opts })
      : ApiProperty({ type: String, format: 'uuid', ...opts }),
    opts.nullable ? IsOptionalNullable() : opts.required === false ? IsOptionalNotNull() : noop,
    IsUUID('all'),
    // Ids are compared as text in places (scope, "did the owner change"): one spelling, as PostgreSQL writes it.
    Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value)),
  );

export const EnumField = (values: readonly string[], opts: FieldOptions & { required?: boolean } = {}) =>
  applyDecorators(
    opts.required === false ? ApiPropertyOptional({ enum: values, ...opts }) : ApiProperty({ enum: values, ...opts }),
    opts.required === false ? IsOptionalNotNull() : noop,
    IsIn(values, { message: ({ property }) => `${property} must be one of: ${values.join(', ')}` }),
  );

export const BooleanField = (opts: FieldOptions & { required?: boolean } = {}) =>
  applyDecorators(
    opts.required === false ? ApiPropertyOptional({ type: Boolean, ...opts }) : ApiProperty({ type: Boolean, ...opts }),
    opts.required === false ? IsOptionalNotNull() : noop,
    IsBoolean(),
  );

export const IntField = (min: number, max: number, opts: FieldOptions & { required?: boolean } = {}) =>
  applyDecorators(
    opts.required === false
      ? ApiPropertyOptional({ type: Integer, minimum: min, maximum: max, ...opts })
      : ApiProperty({ type: Integer, minimum: min, maximum: max, ...opts }),
    opts.required === false ? IsOptionalNotNull() : noop,
    IsInt(),
    Min(min),
    Max(max),
  );

/** Swagger's marker for integer properties. */
const Integer = 'integer';

/** Query strings arrive as text: these turn `?limit=20` and `?active=true` into typed values, strictly. */
export const QueryInt = () =>
  Transform(({ value }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value));
export const QueryBoolean = () =>
  Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value));
export const QueryArray = () =>
  Transform(({ value }) => (value === undefined ? undefined : Array.isArray(value) ? value : [value]));

export { Matches };
