import { FastifyRequest } from 'fastify';
import { Page } from '@rt/domain';
import './web-session';

/** A posted form's (or query's) named fields, each a string: '' when absent, repeated or not text (a file). */
export function readFields<F extends string>(body: unknown, fields: readonly F[]): Record<F, string> {
  const source = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const form = {} as Record<F, string>;
  for (const field of fields) {
    const value = source[field];
    form[field] = typeof value === 'string' ? value : '';
  }
  return form;
}

/** Every value of a field that may repeat (checkboxes). */
export function values(body: unknown, name: string): string[] {
  const source = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return ([] as unknown[]).concat(source[name] ?? []).filter((v): v is string => typeof v === 'string' && v !== '');
}

/** Every item of a keyset-paged list, for the short lists a page shows whole (an organisation's managers). */
export async function allPages<T>(read: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/** The one-time message a POST left for the next page ("Action updated"), taken so it shows once. */
export function takeFlash(request: FastifyRequest): string | undefined {
  const flash = request.session?.flash;
  if (flash) delete request.session.flash;
  return flash;
}
