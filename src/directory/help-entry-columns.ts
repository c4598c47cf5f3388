import { foldText } from "../engine/text-folding.ts";
import type { Topic } from "../engine/flow-schema.ts";
import type { DirectoryKind, StaffDirectoryEntry } from "./directory-entry.ts";

/**
 * The spreadsheet staff use for local help entries: one row per entry, Vietnamese column headers (English ones
 * are accepted too), and Vietnamese words for kinds, topics and yes/no. Export writes exactly what import reads,
 * so staff can export the list, correct it in Excel and import it again.
 */

/** The entry fields a spreadsheet column can hold. */
export type HelpEntryField =
  | "id"
  | "kind"
  | "name"
  | "phone"
  | "address"
  | "provinceCode"
  | "communeCode"
  | "hours"
  | "free"
  | "languages"
  | "topics"
  | "emergency"
  | "verifiedOn"
  | "source";

/** One column: the header export writes, other headers import accepts, and whether every file must have it. */
export type HelpEntryColumn = { field: HelpEntryField; header: string; aliases: readonly string[]; required: boolean };

/** The columns in the order export writes them. */
export const helpEntryColumns: readonly HelpEntryColumn[] = [
  { field: "id", header: "id", aliases: [], required: false },
  { field: "kind", header: "loại", aliases: ["kind"], required: true },
  { field: "name", header: "tên", aliases: ["name"], required: true },
  { field: "phone", header: "điện thoại", aliases: ["phone", "số điện thoại"], required: true },
  { field: "address", header: "địa chỉ", aliases: ["address"], required: false },
  { field: "provinceCode", header: "mã tỉnh", aliases: ["province code"], required: true },
  { field: "communeCode", header: "mã xã", aliases: ["commune code"], required: false },
  { field: "hours", header: "giờ", aliases: ["hours", "giờ làm việc"], required: false },
  { field: "free", header: "miễn phí", aliases: ["free"], required: false },
  { field: "languages", header: "ngôn ngữ", aliases: ["languages"], required: false },
  { field: "topics", header: "chủ đề", aliases: ["topics"], required: true },
  { field: "emergency", header: "khẩn cấp", aliases: ["emergency"], required: false },
  { field: "verifiedOn", header: "ngày xác minh", aliases: ["verified on"], required: true },
  { field: "source", header: "nguồn", aliases: ["source"], required: true },
];

/** The column a header names, compared without case, diacritics or punctuation ("Mã tỉnh", "ma_tinh", "Province code"). */
export function columnOfHeader(header: string): HelpEntryColumn | undefined {
  const folded = foldText(header);
  return helpEntryColumns.find((column) => [column.header, ...column.aliases].some((name) => foldText(name) === folded));
}

/** The Vietnamese word staff use for each kind of help; the English code is accepted too. */
export const kindLabels: Readonly<Record<DirectoryKind, string>> = {
  hotline: "đường dây nóng",
  police: "công an",
  ambulance: "cấp cứu",
  "trusted-address": "địa chỉ tin cậy",
  "health-facility": "cơ sở y tế",
  shelter: "nhà tạm lánh",
  "legal-aid": "trợ giúp pháp lý",
};

/** The Vietnamese name of each programme topic; the English code is accepted too. */
export const topicLabels: Readonly<Record<Topic, string>> = {
  "child-marriage": "tảo hôn",
  consanguinity: "hôn nhân cận huyết",
  "safe-birth": "sinh con an toàn",
  violence: "bạo lực gia đình",
};

/** The code among `codes` whose label or code matches `value`, compared like headers; undefined when none does. */
export function codeOfLabel<Code extends string>(codes: readonly Code[], labels: Readonly<Record<Code, string>>, value: string): Code | undefined {
  const folded = foldText(value);
  return codes.find((code) => foldText(code) === folded || foldText(labels[code]) === folded);
}

/** Yes, no and "not known" as staff may write them in the `miễn phí` and `khẩn cấp` columns. */
export const answerWords = { yes: ["có", "yes"], no: ["không", "no"], unknown: ["chưa rõ", "unknown"] } as const;

/** Which answer a cell gives, or undefined when it is none of the words. */
export function answerOf(value: string): keyof typeof answerWords | undefined {
  const folded = foldText(value);
  return (["yes", "no", "unknown"] as const).find((answer) => answerWords[answer].some((word) => foldText(word) === folded));
}

/** The header row export writes. */
export function helpEntryHeaderRow(): string[] {
  return helpEntryColumns.map((column) => column.header);
}

/** One entry as a spreadsheet row, in column order, in the words import reads back to the same entry. */
export function helpEntryRow(entry: StaffDirectoryEntry): string[] {
  const cells: Record<HelpEntryField, string> = {
    id: entry.id,
    kind: kindLabels[entry.kind],
    name: entry.name,
    phone: entry.phone,
    address: entry.address ?? "",
    provinceCode: entry.provinceCode,
    communeCode: entry.communeCode ?? "",
    hours: entry.hours === "unknown" ? answerWords.unknown[0] : entry.hours,
    free: entry.free === "unknown" ? answerWords.unknown[0] : entry.free ? answerWords.yes[0] : answerWords.no[0],
    languages: entry.languages.join(", "),
    topics: entry.topics.map((topic) => topicLabels[topic]).join(", "),
    emergency: entry.emergency ? answerWords.yes[0] : answerWords.no[0],
    verifiedOn: entry.verifiedOn,
    source: entry.source,
  };
  return helpEntryColumns.map((column) => cells[column.field]);
}
