import type { ContactField, Scalar } from "./flow-schema.ts";

/** The contact fields the engine may read, copied in before a turn. Holds no channel ids and no message text. */
export type ContactSnapshot = {
  locale: string | null;
  provinceCode: string | null;
  communeCode: string | null;
  communeName: string | null;
  consented: boolean;
  stopped: boolean;
  groups: Readonly<Record<string, string>>;
};

export const emptyContact: ContactSnapshot = {
  locale: null,
  provinceCode: null,
  communeCode: null,
  communeName: null,
  consented: false,
  stopped: false,
  groups: {},
};

/** Reads a field for a branch condition; `consent` reads as a boolean, unset fields as null. */
export function readContactField(contact: ContactSnapshot, field: ContactField): Scalar | null {
  if (field === "consent") return contact.consented;
  if (field.startsWith("group.")) return contact.groups[field.slice("group.".length)] ?? null;
  switch (field) {
    case "locale":
      return contact.locale;
    case "provinceCode":
      return contact.provinceCode;
    case "communeCode":
      return contact.communeCode;
    case "communeName":
      return contact.communeName;
    default:
      return null;
  }
}

/** Returns the contact with one field changed, so conditions later in the same turn see the change. */
export function withContactField(contact: ContactSnapshot, field: ContactField, value: Scalar | null): ContactSnapshot {
  const text = value === null ? null : String(value);
  if (field === "consent") return { ...contact, consented: value === true };
  if (field.startsWith("group.")) {
    const groups = { ...contact.groups };
    const name = field.slice("group.".length);
    if (text === null) delete groups[name];
    else groups[name] = text;
    return { ...contact, groups };
  }
  switch (field) {
    case "locale":
      return { ...contact, locale: text };
    case "provinceCode":
      return { ...contact, provinceCode: text };
    case "communeCode":
      return { ...contact, communeCode: text };
    case "communeName":
      return { ...contact, communeName: text };
    default:
      return contact;
  }
}
