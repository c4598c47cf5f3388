import type { SelectGroup } from "./form-fields.ts";
import type { StatsFigure } from "./stats-figures.ts";
import type { StatsTable } from "./stats-table.ts";
import type { CommuneChoice, ImportFormView, PlaceChoice, SignedInContext } from "./view-models.ts";

/**
 * What the statistics pages show, as plain data filled by the routes: the figures already read, named and,
 * in commune-level views, protected, so the pages only lay them out.
 */

/** A step of the place trail above the figures: "Cả nước › Sơn La › xã Mường Bú"; the last has no link. */
export type StatsTrailStep = { label: string; url: string | null };

/**
 * The period chooser, a GET form sending `period` (a period name such as "2026-H2") to `action`, with the
 * periods offered grouped by length (6 tháng, năm, quý, tháng).
 */
export type StatsPeriodForm = { action: string; selected: string; groups: SelectGroup[] };

/**
 * One indicator's progress, as its row of the indicators table and as the API reports it: the people (or lượt)
 * reached in the place, hidden under the threshold in a commune; the target populations entered, added up; the
 * share of them reached in the communes that have one (withheld where it would give a hidden count away).
 */
export type IndicatorProgressRow = {
  name: string;
  /** "người", "hộ" or "lượt" in the page's language. */
  unit: string;
  reached: StatsFigure;
  /** Whether the indicator is measured against a population staff enter; some only count people. */
  takesTarget: boolean;
  /** The target populations entered, added up; null when none was entered. */
  population: number | null;
  /** A percent figure (0 to 1), or withheld. */
  share: StatsFigure;
  /** The plan's target percentage (80 for 80 %), or null when the plan sets none. */
  target: number | null;
  /** Communes of the place without a target population, left out of the share. */
  communesWithoutTarget: number;
};

/**
 * A chart drawn from a column of its table, printed below it: columns over time, or bars for a breakdown.
 * `limit` keeps the chart to the first rows (the table has them all); `axisLabels` are short names for a
 * crowded time axis ("T7"), one per row.
 */
export type StatsChart = { kind: "columns" | "bars"; table: StatsTable; column: number; limit: number | null; axisLabels: string[] | null };

/** The statistics overview of one place (the country, a province or a commune) for one period. */
export type StatsOverviewView = {
  context: SignedInContext;
  /** The place's name as people say it: "Cả nước", "Sơn La", "xã Mường Bú". */
  placeName: string;
  /** "6 tháng cuối năm 2026". */
  periodLabel: string;
  periodForm: StatsPeriodForm;
  trail: StatsTrailStep[];
  /** The key figures, shown as cards, downloadable as a table. */
  summary: StatsTable;
  overTime: StatsChart;
  byTopic: StatsChart;
  /** By province on the country page, by commune on a province page; null on a commune page. */
  byPlace: StatsChart | null;
  byLanguage: StatsChart;
  indicators: { rows: IndicatorProgressRow[]; table: StatsTable };
  campaigns: StatsTable;
  sessions: StatsTable;
  /** A change just made, such as a session recorded, to confirm; null otherwise. */
  notice: string | null;
  links: {
    /** The province's periodic report (XLSX) for this period; null where there is none. */
    report: string | null;
    /** The form to record an in-person session; null when she may not. */
    recordSession: string | null;
    /** The sessions recorded for this place and period, to see and change them; null on the country page. */
    sessionList: string | null;
    /** The form to enter target populations; null when she may not. */
    targets: string | null;
  };
};

/** The page that lets someone with several areas choose one. */
export type StatsPlacesView = { context: SignedInContext; places: Array<{ name: string; url: string }> };

/** The fields of the in-person session form, named as it posts them. */
export type SessionFormField = "heldOn" | "communeCode" | "topic" | "placeName" | "participantsFemale" | "participantsMale" | "note";

/** The form as typed: every field as text, so a refused value is shown again as it was. */
export type SessionFormValues = Record<SessionFormField, string>;

/** The in-person session form. It posts `_csrf` and one field per `SessionFormValues` key. */
export type SessionFormView = {
  context: SignedInContext;
  /** A new session, or changing one already recorded (which can also be removed, through `removeAction`). */
  mode: "new" | "change";
  action: string;
  removeAction: string | null;
  cancelUrl: string;
  values: SessionFormValues;
  errors: Partial<Record<SessionFormField, string>>;
  /** The communes she may record sessions for, grouped by province. */
  communeChoices: CommuneChoice[];
  /** The session topics: the programme's, gender equality and other. */
  topicChoices: PlaceChoice[];
};

/** The sessions recorded for a place in a period, each with where to change it when she may. */
export type SessionListView = {
  context: SignedInContext;
  placeName: string;
  periodLabel: string;
  notice: string | null;
  sessions: Array<{ heldOn: string; communeName: string; placeName: string; topicName: string; female: number; male: number; editUrl: string | null }>;
  recordUrl: string | null;
  backUrl: string;
};

/** One commune's row of the targets form: the value typed (or ""), the population stored, and what is wrong. */
export type TargetEntryRow = { communeCode: string; name: string; value: string; current: number | null; error: string | null };

/** What a targets file did: saved or checked with its counts, or refused with every problem by row and column. */
export type TargetImportOutcome =
  | { kind: "accepted"; dryRun: boolean; added: number; updated: number }
  | { kind: "rejected"; fileName: string; problems: Array<{ row: number; column: string | null; message: string }> };

/**
 * The targets page: a GET form choosing the province, year and indicator; the POST form of the chosen
 * indicator's population per commune (fields `province`, `year`, `indicator` and `population-<commune code>`,
 * empty to keep what is stored); the file import; and the targets entered as CSV or XLSX, the import's template.
 */
export type TargetsView = {
  context: SignedInContext;
  chooser: { action: string; provinceCode: string; year: string; indicatorId: string; provinceChoices: PlaceChoice[]; yearChoices: string[]; indicatorChoices: PlaceChoice[] };
  /** Null when no indicator takes a population. */
  entry: { action: string; caption: string; description: string; rows: TargetEntryRow[] } | null;
  /** How many communes' targets were just saved, to confirm; null otherwise. */
  saved: number | null;
  importForm: ImportFormView;
  importOutcome: TargetImportOutcome | null;
  exportUrls: { csv: string; xlsx: string };
  statsUrl: string;
};
