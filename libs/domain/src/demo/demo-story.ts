import { Role } from '../access/roles';
import { ActionStatus } from '../actions/action';
import { OrganisationKind, Region } from '../organisations/organisation';
import { Priority, RecommendationResponse, RecommendationSource, Theme } from '../recommendations/recommendation';

/**
 * The demo story from DOMAIN.md: HMI Probation's 2014 inspection of Kent Probation Trust, its findings and
 * recommendations, and the people who took them forward. People are fictional and named by role.
 * A few further organisations carry illustrative plans dated relative to today, so that every RAG state
 * and roll-up has something to show; their inspections say they are illustrative.
 */

export interface DemoOrganisation {
  key: string;
  name: string;
  kind: OrganisationKind;
  region: Region;
}

export interface DemoUser {
  key: string;
  email: string;
  name: string;
  role: Role;
  organisation: string | null;
  portfolio?: string[];
  /** Hears of the organisation's actions once they are well overdue. */
  accountableLead?: boolean;
}

/** A date: fixed (`2014-05-30`) or relative to the day the demo is loaded (`{ days: -20 }`). */
export type DemoDate = string | { days: number };

export interface DemoUpdate {
  on: DemoDate;
  by: string;
  status?: ActionStatus;
  progress?: number;
  dueDate?: DemoDate;
  evidence?: string;
  comment: string;
}

export interface DemoAction {
  title: string;
  description?: string;
  owner: string | null;
  dueDate: DemoDate;
  createdOn: DemoDate;
  createdBy: string;
  updates?: DemoUpdate[];
}

export interface DemoRecommendation {
  reference: string;
  text: string;
  theme: Theme;
  priority: Priority;
  source: RecommendationSource;
  response: RecommendationResponse;
  responseRationale?: string;
  targetDate?: DemoDate;
  actions: DemoAction[];
}

export interface DemoInspection {
  organisation: string;
  title: string;
  programme: string;
  publishedOn: DemoDate;
  publishedOnApproximate: boolean;
  reportUrl: string | null;
  findings: { kind: 'strength' | 'concern'; text: string; recommendations?: string[] }[];
  recommendations: DemoRecommendation[];
}

export const DEMO_ORGANISATIONS: DemoOrganisation[] = [
  { key: 'hmip', name: 'HM Inspectorate of Probation', kind: 'inspectorate', region: 'national' },
  { key: 'noms', name: 'National Offender Management Service', kind: 'oversight', region: 'national' },
  { key: 'kent', name: 'Kent Probation Trust', kind: 'probation_trust', region: 'south_east' },
  {
    key: 'nps-see',
    name: 'National Probation Service – South East and Eastern Division',
    kind: 'nps_division',
    region: 'south_east',
  },
  {
    key: 'kss-crc',
    name: 'Kent, Surrey and Sussex Community Rehabilitation Company',
    kind: 'crc',
    region: 'south_east',
  },
  { key: 'nps-london', name: 'National Probation Service – London Division', kind: 'nps_division', region: 'london' },
  { key: 'merseyside-crc', name: 'Merseyside Community Rehabilitation Company', kind: 'crc', region: 'north_west' },
  { key: 'wales-crc', name: 'Wales Community Rehabilitation Company', kind: 'crc', region: 'wales' },
];

export const DEMO_USERS: DemoUser[] = [
  {
    key: 'pm-south-east',
    email: 'performance.manager.south-east@example.org',
    name: 'NOMS Performance Manager, South East',
    role: 'performance_manager',
    organisation: 'noms',
    portfolio: ['kent', 'nps-see', 'kss-crc'],
  },
  {
    key: 'pm-national',
    email: 'account.manager.national@example.org',
    name: 'NOMS Account Manager, London, North West and Wales',
    role: 'performance_manager',
    organisation: 'noms',
    portfolio: ['nps-london', 'merseyside-crc', 'wales-crc'],
  },
  {
    key: 'kent-ace',
    accountableLead: true,
    email: 'assistant.chief.executive@kent.example.org',
    name: 'Assistant Chief Executive, Kent Probation Trust',
    role: 'senior_manager',
    organisation: 'kent',
  },
  {
    key: 'kent-public-protection',
    email: 'head.public.protection@kent.example.org',
    name: 'Head of Public Protection, Kent Probation Trust',
    role: 'senior_manager',
    organisation: 'kent',
  },
  {
    key: 'kent-interventions',
    email: 'head.interventions@kent.example.org',
    name: 'Head of Interventions, Kent Probation Trust',
    role: 'senior_manager',
    organisation: 'kent',
  },
  {
    key: 'kent-board',
    email: 'board.secretary@kent.example.org',
    name: 'Board Secretary, Kent Probation Trust',
    role: 'viewer',
    organisation: 'kent',
  },
  {
    key: 'nps-see-head',
    accountableLead: true,
    email: 'head.public.protection@nps-see.example.org',
    name: 'Head of Public Protection, NPS South East and Eastern',
    role: 'senior_manager',
    organisation: 'nps-see',
  },
  {
    key: 'kss-director',
    accountableLead: true,
    email: 'director.operations@kss-crc.example.org',
    name: 'Director of Operations, Kent, Surrey and Sussex CRC',
    role: 'senior_manager',
    organisation: 'kss-crc',
  },
  {
    key: 'london-head',
    accountableLead: true,
    email: 'head.quality@nps-london.example.org',
    name: 'Head of Quality, NPS London',
    role: 'senior_manager',
    organisation: 'nps-london',
  },
  {
    key: 'merseyside-director',
    accountableLead: true,
    email: 'director.performance@merseyside-crc.example.org',
    name: 'Director of Performance, Merseyside CRC',
    role: 'senior_manager',
    organisation: 'merseyside-crc',
  },
  {
    key: 'wales-director',
    accountableLead: true,
    email: 'director.operations@wales-crc.example.org',
    name: 'Director of Operations, Wales CRC',
    role: 'senior_manager',
    organisation: 'wales-crc',
  },
];

const KENT_PROGRAMME = 'Inspection of Adult Offending Work';

export const KENT_INSPECTION: DemoInspection = {
  organisation: 'kent',
  title: 'Inspection of Adult Offending Work: Kent Probation Trust',
  programme: KENT_PROGRAMME,
  // The press release is undated; 1 March 2014 is an approximation.
  publishedOn: '2014-03-01',
  publishedOnApproximate: true,
  reportUrl: 'https://www.justiceinspectorates.gov.uk/hmiprobation/',
  findings: [
    {
      kind: 'strength',
      text: 'Most court reports, and all those on people assessed as posing a high risk of harm, were of high quality.',
    },
    { kind: 'strength', text: 'Most cases had motivational work on engaging with the sentence.' },
    {
      kind: 'strength',
      text: 'Almost three-quarters of individuals had not been charged with a new offence or reconvicted.',
    },
    { kind: 'strength', text: 'Volunteer mentors helped secure accommodation.' },
    {
      kind: 'concern',
      text: 'Initial assessments of likelihood of reoffending were delayed or inadequate, which hurt sentence plans.',
      recommendations: ['R3'],
    },
    {
      kind: 'concern',
      text: 'There were too few constructive interventions that challenge individuals to take responsibility.',
      recommendations: ['R5'],
    },
    {
      kind: 'concern',
      text: 'Risk of harm analysis was not consistent or thorough, and there were too few effective risk management plans.',
      recommendations: ['R1'],
    },
    {
      kind: 'concern',
      text: 'Multi-agency information was not consulted enough.',
      recommendations: ['R2'],
    },
    {
      kind: 'concern',
      text: 'Home visits were not always made in high risk cases or where there were child protection concerns.',
      recommendations: ['R2', 'R4'],
    },
    {
      kind: 'concern',
      text: 'Risk management plans did not always address specific or potential victims.',
      recommendations: ['R1'],
    },
  ],
  recommendations: [
    {
      reference: 'R1',
      text: 'Improve the management of risk of harm to others.',
      theme: 'risk_of_harm',
      priority: 'high',
      source: 'report',
      response: 'accepted',
      targetDate: '2014-12-31',
      actions: [
        {
          title: 'Deliver risk of harm analysis training to all offender managers',
          description: 'Half-day workshops in each office, with case examples from the inspection.',
          owner: 'kent-public-protection',
          dueDate: '2014-05-30',
          createdOn: '2014-03-20',
          createdBy: 'kent-public-protection',
          updates: [
            {
              on: '2014-04-07',
              by: 'kent-public-protection',
              status: 'in_progress',
              progress: 30,
              comment: 'First four workshops held (Maidstone, Canterbury, Medway, Ashford).',
            },
            {
              on: '2014-05-28',
              by: 'kent-public-protection',
              status: 'completed',
              evidence: 'Attendance register: 212 of 219 offender managers trained.',
              comment: 'All offices trained; seven staff on leave booked for June catch-up.',
            },
            {
              on: '2014-06-12',
              by: 'pm-south-east',
              status: 'verified',
              comment: 'Attendance register seen at the quarterly review.',
            },
          ],
        },
        {
          title: 'Introduce a monthly management audit of risk management plans in high risk cases',
          owner: 'kent-public-protection',
          dueDate: '2014-07-31',
          createdOn: '2014-03-20',
          createdBy: 'kent-public-protection',
          updates: [
            {
              on: '2014-04-30',
              by: 'kent-public-protection',
              status: 'in_progress',
              progress: 40,
              comment: 'Audit tool agreed with team managers; first audit in May.',
            },
            {
              on: '2014-05-31',
              by: 'kent-public-protection',
              progress: 60,
              comment: 'May audit: 38 cases sampled, 29 plans judged sufficient.',
            },
          ],
        },
        {
          title: 'Make sure risk management plans address specific and potential victims',
          owner: 'kent-public-protection',
          dueDate: '2014-09-30',
          createdOn: '2014-03-20',
          createdBy: 'kent-ace',
          updates: [
            {
              on: '2014-05-15',
              by: 'kent-public-protection',
              status: 'in_progress',
              progress: 20,
              comment: 'Victim section added to the plan template; guidance being drafted.',
            },
          ],
        },
      ],
    },
    {
      reference: 'R2',
      text:
        "Make routine checks with children's social care services and other relevant agencies so that child " +
        'protection concerns are taken into account.',
      theme: 'protecting_children',
      priority: 'high',
      source: 'report',
      response: 'accepted',
      targetDate: '2014-09-30',
      actions: [
        {
          title: "Agree an information-sharing protocol with Kent County Council children's social care",
          owner: 'kent-ace',
          dueDate: '2014-04-30',
          createdOn: '2014-03-20',
          createdBy: 'kent-ace',
          updates: [
            {
              on: '2014-04-01',
              by: 'kent-ace',
              status: 'in_progress',
              progress: 50,
              comment: 'Draft protocol with the council’s legal team.',
            },
            {
              on: '2014-04-25',
              by: 'kent-ace',
              dueDate: '2014-05-30',
              comment: 'Council sign-off moved to its May board; new date agreed.',
            },
            {
              on: '2014-05-29',
              by: 'kent-ace',
              status: 'completed',
              evidence: 'Protocol signed 29 May 2014 by both parties.',
              comment: 'Signed.',
            },
          ],
        },
        {
          title: "Make a children's social care check part of every pre-sentence and initial assessment",
          owner: 'kent-public-protection',
          dueDate: '2014-08-29',
          createdOn: '2014-03-20',
          createdBy: 'kent-ace',
          updates: [
            {
              on: '2014-06-02',
              by: 'kent-public-protection',
              status: 'in_progress',
              progress: 25,
              comment: 'Check added to the assessment checklist; recording in nDelius to follow.',
            },
            {
              on: '2014-06-20',
              by: 'kent-public-protection',
              status: 'blocked',
              comment: 'Waiting for the nDelius change request to be approved nationally.',
            },
          ],
        },
      ],
    },
    {
      reference: 'R3',
      text:
        'Complete initial assessments of likelihood of reoffending promptly and thoroughly, so that sentence ' +
        'plans are based on them.',
      theme: 'likelihood_of_reoffending',
      priority: 'medium',
      source: 'derived',
      response: 'accepted',
      targetDate: '2014-10-31',
      actions: [
        {
          title: 'Report weekly on initial assessments completed within 15 working days',
          owner: 'kent-interventions',
          dueDate: '2014-06-30',
          createdOn: '2014-03-24',
          createdBy: 'kent-ace',
          updates: [
            {
              on: '2014-04-14',
              by: 'kent-interventions',
              status: 'in_progress',
              progress: 70,
              comment: 'Weekly report running; 81% on time in its first month.',
            },
          ],
        },
      ],
    },
    {
      reference: 'R4',
      text: 'Make home visits in high risk of harm cases and wherever there are child protection concerns.',
      theme: 'protecting_children',
      priority: 'high',
      source: 'derived',
      response: 'accepted',
      actions: [
        {
          title: 'Issue home visit guidance and record visits in the case management system',
          owner: null,
          dueDate: '2014-07-31',
          createdOn: '2014-03-24',
          createdBy: 'kent-ace',
        },
      ],
    },
    {
      reference: 'R5',
      text: 'Increase the constructive interventions that challenge individuals to take responsibility for their offending.',
      theme: 'likelihood_of_reoffending',
      priority: 'medium',
      source: 'derived',
      response: 'partially_accepted',
      responseRationale:
        'Accredited programme places are commissioned nationally; the Trust will widen one-to-one structured ' +
        'sessions within its own budget.',
      actions: [
        {
          title: 'Train offender managers in one-to-one structured sessions',
          owner: 'kent-interventions',
          dueDate: '2014-09-30',
          createdOn: '2014-03-24',
          createdBy: 'kent-interventions',
        },
      ],
    },
  ],
};

/** Illustrative plans, dated relative to today, so dashboards show every state. */
export const ILLUSTRATIVE_INSPECTIONS: DemoInspection[] = [
  {
    organisation: 'nps-london',
    title: 'Illustrative inspection: National Probation Service London Division (demo data)',
    programme: 'Adult Inspection Programme',
    publishedOn: { days: -120 },
    publishedOnApproximate: false,
    reportUrl: null,
    findings: [
      { kind: 'concern', text: 'Too few cases had an effective plan to manage risk of harm.', recommendations: ['R1'] },
    ],
    recommendations: [
      {
        reference: 'R1',
        text: 'Make sure every high risk case has a risk management plan that is reviewed on each significant change.',
        theme: 'risk_of_harm',
        priority: 'high',
        source: 'report',
        response: 'accepted',
        targetDate: { days: 60 },
        actions: [
          {
            title: 'Audit 10% of high risk cases each quarter',
            owner: 'london-head',
            dueDate: { days: -20 },
            createdOn: { days: -100 },
            createdBy: 'london-head',
            updates: [
              {
                on: { days: -60 },
                by: 'london-head',
                status: 'in_progress',
                progress: 40,
                comment: 'First quarterly audit done.',
              },
            ],
          },
          {
            title: 'Publish a practice guide on reviewing risk management plans',
            owner: 'london-head',
            dueDate: { days: 5 },
            createdOn: { days: -100 },
            createdBy: 'london-head',
            updates: [
              {
                on: { days: -30 },
                by: 'london-head',
                status: 'in_progress',
                progress: 30,
                comment: 'Draft circulated to team managers.',
              },
            ],
          },
          {
            title: 'Add a plan review prompt to supervision templates',
            owner: 'london-head',
            dueDate: { days: 45 },
            createdOn: { days: -100 },
            createdBy: 'london-head',
          },
        ],
      },
      {
        reference: 'R2',
        text: 'Share information with victim liaison officers promptly.',
        theme: 'courts_and_victims',
        priority: 'medium',
        source: 'report',
        response: 'accepted',
        actions: [
          {
            title: 'Agree a five-day standard with the victim liaison unit',
            owner: 'london-head',
            dueDate: { days: -40 },
            createdOn: { days: -100 },
            createdBy: 'london-head',
            updates: [
              {
                on: { days: -70 },
                by: 'london-head',
                status: 'in_progress',
                progress: 50,
                comment: 'Standard drafted.',
              },
              {
                on: { days: -42 },
                by: 'london-head',
                status: 'completed',
                evidence: 'Standard published on the intranet.',
                comment: 'Done.',
              },
            ],
          },
        ],
      },
    ],
  },
  {
    organisation: 'merseyside-crc',
    title: 'Illustrative inspection: Merseyside Community Rehabilitation Company (demo data)',
    programme: 'Adult Inspection Programme',
    publishedOn: { days: -200 },
    publishedOnApproximate: false,
    reportUrl: null,
    findings: [{ kind: 'strength', text: 'Through the gate resettlement work was well organised.' }],
    recommendations: [
      {
        reference: 'R1',
        text: 'Deliver unpaid work promptly after sentence.',
        theme: 'sentence_delivery',
        priority: 'medium',
        source: 'report',
        response: 'accepted',
        actions: [
          {
            title: 'Start every unpaid work requirement within ten working days',
            owner: 'merseyside-director',
            dueDate: { days: 10 },
            createdOn: { days: -180 },
            createdBy: 'merseyside-director',
            updates: [
              {
                on: { days: -90 },
                by: 'merseyside-director',
                status: 'in_progress',
                progress: 70,
                comment: 'Now 88% within ten days.',
              },
            ],
          },
          {
            title: 'Open two further weekend work sites',
            owner: 'merseyside-director',
            dueDate: { days: -3 },
            createdOn: { days: -180 },
            createdBy: 'merseyside-director',
            updates: [
              {
                on: { days: -120 },
                by: 'merseyside-director',
                status: 'in_progress',
                progress: 30,
                comment: 'First site open in Knowsley.',
              },
              {
                on: { days: -50 },
                by: 'merseyside-director',
                status: 'blocked',
                comment: 'Site in Bootle fell through; looking for another.',
              },
            ],
          },
        ],
      },
      {
        reference: 'R2',
        text: 'Provide a women-only reporting centre in every local authority area.',
        theme: 'sentence_delivery',
        priority: 'low',
        source: 'report',
        response: 'not_accepted',
        responseRationale:
          'Women-only reporting sessions are offered in each area instead; a centre in each area is not affordable.',
        actions: [],
      },
    ],
  },
  {
    organisation: 'wales-crc',
    title: 'Illustrative inspection: Wales Community Rehabilitation Company (demo data)',
    programme: 'Adult Inspection Programme',
    publishedOn: { days: -300 },
    publishedOnApproximate: false,
    reportUrl: null,
    findings: [{ kind: 'concern', text: 'Partnership work with health services was inconsistent.' }],
    recommendations: [
      {
        reference: 'R1',
        text: 'Agree referral routes with each health board for substance misuse treatment.',
        theme: 'leadership_and_partnerships',
        priority: 'medium',
        source: 'report',
        response: 'accepted',
        actions: [
          {
            title: 'Sign referral agreements with all seven health boards',
            owner: 'wales-director',
            dueDate: { days: -100 },
            createdOn: { days: -280 },
            createdBy: 'wales-director',
            updates: [
              {
                on: { days: -200 },
                by: 'wales-director',
                status: 'in_progress',
                progress: 60,
                comment: 'Five of seven signed.',
              },
              {
                on: { days: -110 },
                by: 'wales-director',
                status: 'completed',
                progress: 100,
                evidence: 'All seven agreements on file.',
                comment: 'Last two signed.',
              },
              {
                on: { days: -90 },
                by: 'pm-national',
                status: 'verified',
                comment: 'Agreements checked at the contract review.',
              },
            ],
          },
          {
            title: 'Review referral volumes with each health board twice a year',
            owner: 'wales-director',
            dueDate: { days: 90 },
            createdOn: { days: -280 },
            createdBy: 'wales-director',
            updates: [
              {
                on: { days: -20 },
                by: 'wales-director',
                status: 'in_progress',
                progress: 50,
                comment: 'First round of reviews held.',
              },
            ],
          },
        ],
      },
    ],
  },
];
