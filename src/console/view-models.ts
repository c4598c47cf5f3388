import type { DirectoryKind } from "../directory/directory-entry.ts";
import type { HelpEntryField } from "../directory/help-entry-columns.ts";
import type { CampaignStatus } from "../campaigns/campaign-spec.ts";
import type { Topic } from "../engine/flow-schema.ts";
import type { ConsoleLocale } from "./console-locale.ts";

/**
 * What the staff console's pages show, as plain data. Route handlers fill these from the database and the
 * session and pass them to the page functions; the pages only format them, so they never see Prisma, a
 * request or a clock, and every URL a page links to is given here by the routes that own the URLs.
 */

/** Where the parts of the console live; the routes build this once. */
export type ConsoleUrls = {
  overview: string;
  stats: string;
  directory: string;
  campaigns: string;
  places: string;
  coverage: string;
  signIn: string;
  /** Receives the header's sign-out form (POST, with `_csrf`). */
  signOut: string;
};

/**
 * What a staff member may do and where, in words for the header and the overview. Place names are given as
 * people say them, with their unit: "Sơn La", "xã Mường Bú".
 */
export type StaffAccess =
  | { role: "admin" }
  | { role: "province"; provinces: string[] }
  | { role: "commune"; team: string; communes: string[] };

/** The signed-in staff member, shown in every page's header. */
export type SignedInStaff = { displayName: string; access: StaffAccess };

/** What every page needs besides its own content. */
export type ConsoleContext = {
  locale: ConsoleLocale;
  /** The session's CSRF token, put in every POST form as the hidden field `_csrf`. */
  csrfToken: string;
  /** This same page in each language (`?lang=vi`, `?lang=en`), for the language switch in the header. */
  languageUrls: Readonly<Record<ConsoleLocale, string>>;
  /** Null on the pages seen without signing in: sign-in, signed out, and errors before sign-in. */
  staff: SignedInStaff | null;
  urls: ConsoleUrls;
};

/** The context of a page only a signed-in staff member sees. */
export type SignedInContext = ConsoleContext & { staff: SignedInStaff };

/** A place offered in a select: its code is the value sent, its name what staff read. */
export type PlaceChoice = { code: string; name: string };

/** A commune offered in a select, grouped under its province. */
export type CommuneChoice = PlaceChoice & { provinceName: string };

/**
 * Why the sign-in page is shown again. `minutes` is how long until she may try again, rounded up. A wrong
 * name and a wrong password get the same words, so the page does not tell which usernames exist.
 */
export type SignInProblem =
  | { kind: "wrong-credentials" }
  | { kind: "locked"; minutes: number }
  | { kind: "too-many-attempts"; minutes: number }
  | { kind: "session-ended" };

/** The sign-in page. Its form posts `_csrf`, `username` and `password` to `action`. */
export type SignInView = {
  context: ConsoleContext;
  action: string;
  /** The name typed before, so only the password is typed again; never the password. */
  username: string;
  problem: SignInProblem | null;
};

/** The page after signing out. */
export type SignedOutView = { context: ConsoleContext };

/** The overview: who is signed in, and the size of each list in her area, with links to the lists. */
export type OverviewView = {
  context: SignedInContext;
  directory: {
    entries: number;
    dueForCheck: number;
    /** After how many months an entry is due for checking (DIRECTORY_STALE_MONTHS). */
    staleMonths: number;
    /** The directory list showing only the entries due for checking. */
    dueForCheckUrl: string;
  };
  places: { provinces: number; communes: number; sample: boolean };
  languages: {
    /** Names of the languages offered to people, in the console's language ("Tiếng Việt", "Tiếng Anh"). */
    offered: string[];
    registered: number;
  };
};

/** One help entry in the directory list. */
export type DirectoryRowView = {
  id: string;
  kind: DirectoryKind;
  name: string;
  phone: string;
  /** Empty for a national number, which serves the whole country. */
  provinceName: string;
  /** With its unit ("xã Mường Bú"); null for an entry of the whole province. */
  communeName: string | null;
  /** "24/7", "unknown", or the hours as staff wrote them. */
  hours: string;
  /** True or false only when a source says so. */
  free: boolean | "unknown";
  emergency: boolean;
  /** YYYY-MM-DD. */
  verifiedOn: string;
  /** Older than the stale limit: shown with "due for checking" next to the month it was checked. */
  stale: boolean;
  /** Whether this staff member may change this entry: the name links to `editUrl` only then. */
  canEdit: boolean;
  editUrl: string;
};

/**
 * The directory list's filter, a GET form with the query fields `province`, `commune` and `due` ("1" when
 * ticked). Give the communes of the chosen province only (none when no province is chosen), so the page stays
 * small even with the national list of about 3,321 communes.
 */
export type DirectoryFilterView = {
  action: string;
  provinceCode: string;
  communeCode: string;
  dueOnly: boolean;
  provinceChoices: PlaceChoice[];
  communeChoices: PlaceChoice[];
};

/**
 * The import form: a multipart POST of `_csrf` (first, so it arrives before the file), `file` (CSV or XLSX)
 * and `dryRun` ("1" when ticked).
 */
export type ImportFormView = {
  action: string;
  /** Whether "check only" starts ticked: yes at first, no once a check found the file right. */
  dryRun: boolean;
};

/** The help directory list. */
export type DirectoryListView = {
  context: SignedInContext;
  filter: DirectoryFilterView;
  entries: DirectoryRowView[];
  /** The name of the entry just saved, to confirm it; null otherwise. */
  savedEntryName: string | null;
  /** Null when this staff member may not add entries. */
  newEntryUrl: string | null;
  /** Null when this staff member may not import. */
  importForm: ImportFormView | null;
  /** The current list as files; null when this staff member may not export. */
  exportUrls: { csv: string; xlsx: string } | null;
};

/** A language a help entry's phone may be answered in: its ISO 639-3 code and its name. */
export type LanguageChoice = { code: string; name: string };

/**
 * A help entry's fields as the form shows them: as stored when the form opens, as typed when a save failed.
 * `free` is "yes", "no" or "unknown"; `hours` is empty when not known.
 */
export type HelpEntryFormValues = {
  id: string;
  kind: DirectoryKind | "";
  name: string;
  phone: string;
  address: string;
  provinceCode: string;
  /** Empty for an entry of the whole province. */
  communeCode: string;
  hours: string;
  free: "yes" | "no" | "unknown";
  languages: string[];
  topics: Topic[];
  emergency: boolean;
  /** YYYY-MM-DD. */
  verifiedOn: string;
  source: string;
};

/**
 * The form to add or change a help entry. It posts `_csrf` and one field per `HelpEntryFormValues` key, named
 * the same: `languages` and `topics` once per ticked box, `emergency` as "yes" when ticked, and `id` only when
 * adding (an entry's id never changes).
 */
export type HelpEntryFormView = {
  context: SignedInContext;
  mode: "new" | "edit";
  action: string;
  /** Where "cancel" goes: the directory list. */
  cancelUrl: string;
  values: HelpEntryFormValues;
  /** One message per field that is wrong, in the words the check gave. */
  errors: Partial<Record<HelpEntryField, string>>;
  provinceChoices: PlaceChoice[];
  /** The communes this staff member may choose, of the provinces she may choose; grouped by province. */
  communeChoices: CommuneChoice[];
  languageChoices: LanguageChoice[];
};

/** One problem of an import file, as the import reported it: `column` is null when the whole row is meant. */
export type ImportProblemView = { row: number; column: string | null; message: string };

/** What an import did: saved or checked (`dryRun`) with its counts, or refused with every problem. */
export type ImportOutcome =
  | { kind: "accepted"; dryRun: boolean; added: number; updated: number }
  | { kind: "rejected"; problems: ImportProblemView[] };

/** The page after an import. */
export type ImportResultView = {
  context: SignedInContext;
  fileName: string;
  outcome: ImportOutcome;
  /** The import form again, to import the same file for real or a corrected one; null when not allowed. */
  importForm: ImportFormView | null;
};

/** A province in the places list. */
export type ProvinceRowView = { code: string; name: string; unitType: string; communeCount: number; url: string };

/**
 * A province or commune whose name matched the search. `url` is its province's page; for a commune, add
 * `#place-<code>` to land on its row.
 */
export type PlaceMatchView = {
  code: string;
  name: string;
  unitType: string;
  /** Null for a province. */
  provinceName: string | null;
  url: string;
};

/** The places list: every province with its number of communes, and a search by name (GET, field `q`). */
export type PlacesView = {
  context: SignedInContext;
  /** The commune list is still the shipped sample: the page says so. */
  sample: boolean;
  search: { action: string; query: string };
  /** Null when nothing was searched for. */
  matches: PlaceMatchView[] | null;
  provinces: ProvinceRowView[];
};

/** A commune on its province's page. */
export type CommuneRowView = { code: string; name: string; unitType: string; formerDistricts: string[]; sample: boolean };

/** One province and its communes with their codes. */
export type ProvinceView = {
  context: SignedInContext;
  sample: boolean;
  province: { code: string; name: string; unitType: string; formerNames: string[] };
  communes: CommuneRowView[];
};

/** How far one language is: counts of the Vietnamese keys it has text for, reviewed, outdated, and with audio. */
export type LanguageCoverageView = {
  code: string;
  /** The language's name for staff ("Tiếng Mông"). */
  name: string;
  status: "draft" | "reviewed";
  offered: boolean;
  withText: number;
  reviewed: number;
  outdated: number;
  withAudio: number;
};

/** Content coverage per language, as `loa content coverage` prints it. */
export type CoverageView = {
  context: SignedInContext;
  /** How many Vietnamese keys there are: the whole each count is out of. */
  keyCount: number;
  languages: LanguageCoverageView[];
};

/** A page that could not be shown: 403 (not for this role or area), 404 or 500. */
export type ErrorView = {
  context: ConsoleContext;
  status: 403 | 404 | 500;
  /** For a 500: the request id, so staff can quote it to an administrator. */
  reference: string | null;
};

/** Deliveries done (sent, failed or skipped) out of all deliveries made so far, for a progress bar. */
export type CampaignProgressView = { done: number; total: number };

/** One campaign in the list. */
export type CampaignRowView = {
  name: string;
  status: CampaignStatus;
  /** When it starts, in Viet Nam time ("01/06/2026 08:00"); null while not scheduled. */
  startsAt: string | null;
  progress: CampaignProgressView;
  url: string;
};

/** The campaigns she may see, newest first. */
export type CampaignListView = {
  context: SignedInContext;
  campaigns: CampaignRowView[];
  /** Null when she may not make campaigns. */
  newCampaignUrl: string | null;
};

/** A programme campaign month or day offered as a starting point: its name, dates and suggested keys. */
export type CampaignTemplateChoice = { id: string; name: string; dates: string; keys: string[]; note: string | null };

/** A content key offered on its own, such as a module's introduction, with the module's name. */
export type ContentKeyChoice = { key: string; label: string };

/**
 * The fields of the new-campaign form, named as the form posts them; `text-<locale>` is the text written for
 * one language.
 */
export type CampaignFormField = "name" | "content" | `text-${string}` | "topic" | "communes" | "languages" | "channels" | "quietStart" | "quietEnd";

/**
 * The new-campaign form as typed. It posts `_csrf`, `province` (the province chosen above the form), `name`,
 * `template` (a calendar template id or ""), `keys` (once per ticked content key), or instead `text-<locale>`
 * (the text written for each language offered) and `topic`, then `communes`, `languages` and `channels` (once
 * per ticked box), `quietStart` and `quietEnd` ("HH:MM"), and `intent`: "preview" shows the form again with
 * the recipient count and the text, "save" saves a draft.
 */
export type CampaignFormValues = {
  province: string;
  name: string;
  template: string;
  keys: string[];
  /** The text typed per locale code, "" where none. */
  texts: Record<string, string>;
  topic: string;
  communes: string[];
  languages: string[];
  channels: string[];
  quietStart: string;
  quietEnd: string;
};

/** One language's written text, under the language's name. */
export type NamedText = { language: string; text: string };

/**
 * How many people the audience reaches now, and how they split by language and channel (names given), and the
 * written text as it will be sent (empty for content from the library).
 */
export type CampaignPreviewView = { recipients: number; byLanguage: Array<{ name: string; count: number }>; byChannel: Array<{ name: string; count: number }>; texts: NamedText[] };

/** A commune she may target, with how many people Loa can reach there now (0 is shown too). */
export type CampaignCommuneChoice = PlaceChoice & { reachable: number };

/** The new-campaign form. */
export type CampaignFormView = {
  context: SignedInContext;
  action: string;
  cancelUrl: string;
  values: CampaignFormValues;
  errors: Partial<Record<CampaignFormField, string>>;
  /**
   * The provinces she may target communes of. With more than one, a GET form above the campaign form chooses
   * one (`?province=`), so the communes listed are one province's, without JavaScript.
   */
  provinceChoices: PlaceChoice[];
  templates: CampaignTemplateChoice[];
  keyChoices: ContentKeyChoice[];
  /** The languages a text may be written in: those offered to people, Vietnamese first. */
  textLanguages: LanguageChoice[];
  /** The programme topics written content may declare, named in the console's language. */
  topicChoices: Array<{ topic: Topic; name: string }>;
  /** The communes of the chosen province she may target; empty until a province is chosen. */
  communeChoices: CampaignCommuneChoice[];
  languageChoices: PlaceChoice[];
  channelChoices: PlaceChoice[];
  /** The recipient count after "Xem trước"; null before. */
  preview: CampaignPreviewView | null;
};

/** A count under a name, such as people reached in one commune. */
export type NamedCount = { name: string; count: number };

/** The actions on one campaign: each is the URL its POST form goes to, or null when not allowed now. */
export type CampaignActions = Record<"submit" | "approve" | "reject" | "schedule" | "pause" | "resume" | "cancel", string | null>;

/** One campaign: what it sends, to whom, where it stands, its progress and results, and what she may do. */
export type CampaignDetailView = {
  context: SignedInContext;
  listUrl: string;
  campaign: {
    name: string;
    status: CampaignStatus;
    /** Content from the library; empty when the team wrote the text. */
    keys: string[];
    /** The text the team wrote, per language; empty for content from the library. */
    texts: NamedText[];
    /** The topic written content declares, in words; null when none. */
    topic: string | null;
    communes: string[];
    /** Names of the languages and channels it is limited to; empty for all. */
    languages: string[];
    channels: string[];
    quietStart: string;
    quietEnd: string;
    /** Viet Nam time; null while not scheduled. */
    startsAt: string | null;
    recurrence: { every: "week" | "month"; count: number } | null;
    createdBy: string;
    /** Who approved it; null while not approved. */
    approvedBy: string | null;
  };
  results: {
    byStatus: Record<"pending" | "sending" | "sent" | "failed" | "skipped", number>;
    /** Reasons for skipped or failed deliveries, most common first. */
    byReason: Array<{ reason: string; count: number }>;
    reach: { people: number; byCommune: NamedCount[]; byLanguage: NamedCount[] };
    followedUp: number;
    followUpDays: number;
  };
  actions: CampaignActions;
  /** The action just done ("submit", …), to confirm it; null otherwise. */
  done: keyof CampaignActions | null;
  /** Why an action was refused, in words; null otherwise. */
  problem: string | null;
  /** The schedule form's start, "YYYY-MM-DDTHH:MM" in Viet Nam time. */
  scheduleStart: string;
};
