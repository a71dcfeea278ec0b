import { RecommendationResponse, RecommendationView, RESPONSE_WORDING, UpdateRecommendationInput } from '@rt/domain';
import { readFields } from '../web-forms';

/** The responses a body gives (the "pending" it starts with is not one of them), in the order they are offered. */
export const RESPONSE_CHOICES = ['accepted', 'partially_accepted', 'not_accepted'] as const;
export const RESPONSE_OPTIONS = RESPONSE_CHOICES.map((value) => ({ value, text: RESPONSE_WORDING[value] }));

export const MAX_RATIONALE_LENGTH = 5000;

const FIELDS = ['version', 'response', 'responseRationale'] as const;
export type ResponseForm = Record<(typeof FIELDS)[number], string>;
/** The fields in the order the form shows them (for the error summary). */
export const RESPONSE_FORM_ORDER = ['response', 'responseRationale'];

export const readResponseForm = (body: unknown): ResponseForm => readFields(body, FIELDS);

export function responseFormFrom(recommendation: RecommendationView): ResponseForm {
  return {
    version: String(recommendation.version),
    response: recommendation.response === 'pending' ? '' : recommendation.response,
    responseRationale: recommendation.responseRationale ?? '',
  };
}

export type ParsedResponse =
  | { ok: true; version: number; input: Pick<UpdateRecommendationInput, 'response' | 'responseRationale'> }
  | { ok: false; errors: Record<string, string> };

/**
 * The form's shape only. Whether a rationale is needed (not agreed) is RecommendationsService's rule: its refusal
 * comes back as a field error.
 */
export function parseResponse(form: ResponseForm): ParsedResponse {
  const errors: Record<string, string> = {};
  if (!(RESPONSE_CHOICES as readonly string[]).includes(form.response)) errors.response = 'Select a response';
  if (form.responseRationale.length > MAX_RATIONALE_LENGTH) {
    errors.responseRationale = `Rationale must be ${MAX_RATIONALE_LENGTH} characters or fewer`;
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  const rationale = form.responseRationale.trim();
  return {
    ok: true,
    version: /^\d+$/.test(form.version) ? Number(form.version) : NaN,
    input: {
      response: form.response as RecommendationResponse,
      responseRationale: rationale === '' ? null : rationale,
    },
  };
}
