export const ORGANISATION_KINDS = [
  'probation_trust',
  'nps_division',
  'crc',
  'inspectorate',
  'oversight',
  'other',
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const ORGANISATION_STATUSES = ['active', 'dissolved'] as const;
export type OrganisationStatus = (typeof ORGANISATION_STATUSES)[number];

/** England and Wales as probation was organised in 2014, plus `national` for bodies that cover both. */
export const REGIONS = {
  north_east: 'North East',
  north_west: 'North West',
  yorkshire_and_humber: 'Yorkshire and the Humber',
  east_midlands: 'East Midlands',
  west_midlands: 'West Midlands',
  east_of_england: 'East of England',
  london: 'London',
  south_east: 'South East',
  south_west: 'South West',
  wales: 'Wales',
  national: 'England and Wales',
} as const;
export type Region = keyof typeof REGIONS;
export const REGION_KEYS = Object.keys(REGIONS) as Region[];

export interface OrganisationView {
  id: string;
  name: string;
  kind: OrganisationKind;
  region: Region;
  status: OrganisationStatus;
  dissolvedOn: string | null;
  successorIds: string[];
  predecessorIds: string[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface CreateOrganisationInput {
  name: string;
  kind: OrganisationKind;
  region: Region;
  status?: OrganisationStatus;
  dissolvedOn?: string | null;
  successorIds?: string[];
}

export type UpdateOrganisationInput = Partial<CreateOrganisationInput>;

export interface OrganisationFilter {
  kind?: OrganisationKind;
  region?: Region;
  status?: OrganisationStatus;
}
