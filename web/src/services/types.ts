/** The services API's shapes as the web app reads them. */
export interface ItemSummary {
  id: number;
  code: string;
  name: string;
  kind: string;
  department: { id: number; name: string };
  statutoryDays: number;
  committedDays: number;
  visits: number;
  fullyOnline: boolean;
  lifeEvents: string[];
  applyOnline: boolean;
}

export interface Material {
  name: string;
  form: string;
  required: boolean;
  replacedBy?: { kind: 'credential' | 'hub'; ref: string };
  accept?: string[];
}

export interface Step { key: string; label: string; role: string; countersign?: boolean }

export interface FormSchema {
  type: 'object';
  required?: string[];
  properties: Record<string, { type?: string; title?: string; enum?: string[]; pattern?: string; minLength?: number; maxLength?: number; minimum?: number; maximum?: number }>;
}

export interface Item extends ItemSummary {
  itemGroup: string | null;
  department: { id: number; code: string; name: string };
  implementingBody: string;
  level: string;
  legalBasis: string;
  conditions: { text: string; predicate?: string }[];
  materials: Material[];
  fee: string;
  steps: Step[];
  formSchema: FormSchema | null;
  prefill: { field: string; resource: string; resourceField: string }[];
  issuesCredentialType: string | null;
  online: boolean;
  guide: string;
}

export interface Clock {
  submittedAt: string | null;
  statutoryDays: number;
  committedDays: number;
  statutoryDue: string | null;
  committedDue: string | null;
  elapsedDays: number | null;
  actualDays: number | null;
  paused: boolean;
  overdue: boolean;
  finishedAt: string | null;
}

export interface Application {
  id: number;
  receiptNumber: string | null;
  state: string;
  channel: string;
  item: { id: number; code: string; name: string; steps: Step[]; materials: Material[]; formSchema: FormSchema | null; issuesCredentialType: string | null };
  department: { id: number; name: string };
  applicant: { name: string };
  form: Record<string, unknown>;
  prefilled: string[];
  currentStep: Step | null;
  signedBy: string[];
  reason: string | null;
  correctionNote: string | null;
  clock: Clock;
  materials: { material: string; fileName: string; size: number }[];
  history: { id: number; at: string; action: string; stepKey: string | null; actorName: string; toState: string; note: string | null; rateable: boolean }[];
  ratings: { id: number; stepId: number | null; level: string; comment: string | null; defaulted: boolean; rectificationId: number | null }[];
  abilities: string[];
}

export interface ApplicationRow {
  id: number;
  receiptNumber: string | null;
  state: string;
  channel: string;
  item: { id: number; name: string };
  department: { name: string };
  applicant: { name: string };
  submittedAt: string | null;
  committedDue: string | null;
  statutoryDue: string | null;
  paused: boolean;
  overdue: boolean;
  actualDays: number | null;
}

export interface Figures {
  items: { total: number; online: number; fullyOnline: number; fullyOnlineRate: number };
  time: { finished: number; averageActualDays: number | null; averageCommittedDays: number | null; averageStatutoryDays: number | null; overdue: number };
  applicationsByChannel: { key: string; count: number }[];
  applicationsByState: { key: string; count: number }[];
  ratings: { total: number; bad: number; rectified: number; calledBack: number; satisfaction: number; rectificationRate: number; callbackRate: number };
}
