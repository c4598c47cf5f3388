import type { BotAssets } from "../bot/bot-assets.ts";
import { createCampaignService, type CampaignService } from "../campaigns/campaign-service.ts";
import { coverageReport, type CoverageReport } from "../content/content-coverage.ts";
import { loadMediaLibrary } from "../content/media-library.ts";
import { loadTranslationContext } from "../content/translation-export.ts";
import type { DirectoryEntry } from "../directory/directory-entry.ts";
import { createHelpEntryStore } from "../directory/help-entry-store.ts";
import type { PlaceLookup } from "../engine/place-lookup.ts";
import type { DatabaseClient } from "../store/database.ts";
import { createIndicatorTargets, type IndicatorTargets } from "../stats/indicator-targets.ts";
import { indicatorsFile, loadIndicators, type Indicator } from "../stats/indicators.ts";
import { createOutreachSessions, type OutreachSessions } from "../stats/outreach-sessions.ts";
import { createStaffDirectory, type StaffDirectory } from "./staff-directory.ts";
import { createStaffSide, type StaffSide } from "./staff-side.ts";

/**
 * Everything the staff console and the staff API work with, built once over the running bot: accounts and
 * sessions, the help directory with its area rules, the places, and the content coverage. The console and the
 * API call the same services, so a rule holds in both.
 */
export type StaffServices = {
  staff: StaffSide;
  campaigns: CampaignService;
  directory: StaffDirectory;
  db: DatabaseClient;
  /** The content folder the bot runs with (campaign calendar, translations). */
  contentDir: string;
  /** The Vietnamese name of an entry: a national number's name is a content key. */
  nameOf(entry: DirectoryEntry): string;
  /** The coverage report, computed from the content files (cached: they change only with a restart). */
  coverage(): Promise<CoverageReport>;
  /** Makes this process pick up imported places or help entries at once. */
  afterReferenceChanged(): Promise<unknown>;
  /** Statistics: the indicators (read once: they change with a restart), their targets, in-person sessions. */
  stats: {
    indicators(): Promise<readonly Indicator[]>;
    targets: IndicatorTargets;
    sessions: OutreachSessions;
    places: () => PlaceLookup;
    /** Commune people counts under this are hidden (STATS_SUPPRESS_BELOW). */
    threshold: number;
  };
};

/** Builds the staff services for a running bot. */
export function createStaffServices(deps: {
  db: DatabaseClient;
  assets: BotAssets;
  places: () => PlaceLookup;
  refreshReferenceData: () => Promise<unknown>;
  now: () => Date;
  staleMonths: number;
  suppressBelow: number;
}): StaffServices {
  const staff = createStaffSide({ db: deps.db, now: deps.now });
  let coverage: Promise<CoverageReport> | undefined;
  let indicators: Promise<Indicator[]> | undefined;
  const declaredIndicators = () => {
    indicators ??= loadIndicators(indicatorsFile(deps.assets.contentDir));
    return indicators;
  };
  return {
    staff,
    campaigns: createCampaignService({ db: deps.db, places: deps.places, audit: staff.audit, now: deps.now, locales: deps.assets.catalog.locales, fileHelp: deps.assets.directory }),
    db: deps.db,
    contentDir: deps.assets.contentDir,
    directory: createStaffDirectory({
      store: createHelpEntryStore(deps.db, deps.now),
      nationalEntries: deps.assets.directory,
      places: deps.places,
      audit: staff.audit,
      now: deps.now,
      staleMonths: deps.staleMonths,
    }),
    nameOf: (entry) => (entry.origin === "file" ? deps.assets.catalog.render(entry.name, "vi").text : entry.name),
    coverage: () => {
      coverage ??= (async () => coverageReport(await loadTranslationContext(deps.assets.contentDir, deps.assets.flowsDir), await loadMediaLibrary(deps.assets.contentDir)))();
      return coverage;
    },
    afterReferenceChanged: deps.refreshReferenceData,
    stats: {
      indicators: declaredIndicators,
      targets: createIndicatorTargets({ db: deps.db, places: deps.places, indicators: declaredIndicators, audit: staff.audit, now: deps.now }),
      sessions: createOutreachSessions({ db: deps.db, places: deps.places, audit: staff.audit, now: deps.now }),
      places: deps.places,
      threshold: deps.suppressBelow,
    },
  };
}
