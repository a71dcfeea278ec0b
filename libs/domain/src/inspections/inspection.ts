export const FINDING_KINDS = ['strength', 'concern'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export interface InspectionView {
  id: string;
  organisationId: string;
  organisationName: string;
  inspectorateId: string;
  inspectorateName: string;
  title: string;
  programme: string | null;
  publishedOn: string;
  /** True when the publication date is an estimate (e.g. an undated press release). */
  publishedOnApproximate: boolean;
  reportUrl: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface CreateInspectionInput {
  organisationId: string;
  inspectorateId: string;
  title: string;
  programme?: string | null;
  publishedOn: string;
  publishedOnApproximate?: boolean;
  reportUrl?: string | null;
}

export type UpdateInspectionInput = Partial<CreateInspectionInput>;

export interface InspectionFilter {
  organisationId?: string;
}

export interface FindingView {
  id: string;
  inspectionId: string;
  kind: FindingKind;
  text: string;
  recommendationIds: string[];
  createdAt: string;
}

export interface CreateFindingInput {
  kind: FindingKind;
  text: string;
  recommendationIds?: string[];
}
