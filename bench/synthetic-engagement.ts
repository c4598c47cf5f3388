// Synthetic engagement for npm run bench:stats: a year of a national deployment, generated one local day at a
// time from a seed, so ten million events never sit in memory at once. The shape is meant to be plausible:
// 34 provinces, about 3,000 communes with very unequal weights, 4 topics, 2 channels, several languages,
// people of very unequal activity who come back on some days and read a few messages each time, teams in most
// communes, week-long campaigns from teams to people of their communes, and a few deletions.
import type { StatsEvent } from "../src/stats/stats-cells.ts";
import { seededRandom } from "../tests/support/stats-fixture.ts";

/** An event as the bench writes it: the statistics view plus what the row stores as text and a number per person. */
export type SyntheticEvent = StatsEvent & { contentKey: string | null; detail: string; groupsText: string; personKey: number };

/** Picks an index with probability proportional to its weight, by binary search over cumulative weights. */
function weightedPicker(weights: readonly number[], random: () => number): () => number {
  const cumulative = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((weight, index) => {
    total += weight;
    cumulative[index] = total;
  });
  return () => {
    const target = random() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((cumulative[middle] ?? 0) < target) low = middle + 1;
      else high = middle;
    }
    return low;
  };
}

const topics = ["safe-birth", "child-marriage", "consanguinity", "violence"];
const channels = ["zalo-bot", "telegram"];
const locales = ["vi", "hmn", "tha", "dao", "tay", "ede", "bdq", "khm"];
const localeWeights = [45, 18, 10, 8, 7, 5, 4, 3];
const groupChoices: ReadonlyArray<Readonly<Record<string, string>>> = [{}, { pregnant: "yes" }, { pregnant: "no" }, { age: "15-19" }, { pregnant: "yes", age: "20-29" }];
const groupWeights = [55, 12, 15, 10, 8];
/** Conversation event kinds and how often each occurs; campaign deliveries come on top (see `campaignShare`). */
const kinds = ["content_delivered", "module_completed", "quiz_answered", "help_shown", "emergency_answered", "opted_out", "consent_recorded", "session_expired"];
const kindWeights = [780, 50, 90, 30, 3, 6, 25, 16];
const campaignShare = 0.15;
const deletionShare = 0.002;
const campaignsPerYear = 150;
const campaignDays = 7;

/** A pseudonym shaped like the random UUIDs Loa gives (36 characters), derived from a number. */
export function pseudonymOf(personKey: number): string {
  const hex = personKey.toString(16).padStart(12, "0");
  return `5eed${hex.slice(0, 4)}-0000-4000-8000-${hex}`;
}

/** The synthetic country and its people; `day(i)` generates the events of the i-th local day of `year`. */
export function createSyntheticYear(options: { seed: number; year: number; events: number; people: number; provinceCodes: readonly string[]; communes: number }) {
  const random = seededRandom(options.seed);
  const provinceCount = options.provinceCodes.length;
  // Provinces of the northern and central highlands get more communes and far more people than the rest.
  const provinceWeights = options.provinceCodes.map((_, index) => 1 + 6 / (1 + index));
  const pickProvince = weightedPicker(provinceWeights, random);
  const communeProvince: number[] = [];
  for (let index = 0; index < options.communes; index += 1) communeProvince.push(index < provinceCount ? index : pickProvince());
  const communeCodes = communeProvince.map((province, index) => `${options.provinceCodes[province]}-${String(10_000 + index)}`);
  const communeWeights = communeProvince.map((province, index) => (provinceWeights[province] ?? 1) / (1 + (index % 97) / 8));
  // A team works in three neighbouring communes; about a third of communes have none.
  const communeTeam = communeCodes.map((_, index) => (index % 3 === 2 && index % 9 !== 8 ? null : `team-${Math.floor(index / 3)}`));
  const pickCommune = weightedPicker(communeWeights, random);
  const pickLocale = weightedPicker(localeWeights, random);
  const pickGroups = weightedPicker(groupWeights, random);
  const pickKind = weightedPicker(kindWeights, random);

  const personCommune = new Int32Array(options.people);
  const personLocale = new Uint8Array(options.people);
  const personChannel = new Uint8Array(options.people);
  const personGroups = new Uint8Array(options.people);
  /** The pseudonym number each person writes under now; it changes when she deletes her data. */
  const personKey = new Int32Array(options.people);
  const activity: number[] = [];
  for (let person = 0; person < options.people; person += 1) {
    personCommune[person] = pickCommune();
    personLocale[person] = pickLocale();
    personChannel[person] = random() < 0.62 ? 0 : 1;
    personGroups[person] = pickGroups();
    personKey[person] = person;
    const draw = random();
    activity.push(draw < 0.6 ? 1 : draw < 0.9 ? 4 : 15);
  }
  let nextKey = options.people;
  const pickPerson = weightedPicker(activity, random);
  const peopleOfTeam = new Map<string, number[]>();
  for (let person = 0; person < options.people; person += 1) {
    const team = communeTeam[personCommune[person] ?? 0];
    if (team === null || team === undefined) continue;
    const list = peopleOfTeam.get(team) ?? [];
    list.push(person);
    peopleOfTeam.set(team, list);
  }
  const teams = [...peopleOfTeam.keys()];
  const campaigns = Array.from({ length: campaignsPerYear }, (_, index) => ({
    id: `campaign-${String(index).padStart(4, "0")}`,
    teamId: teams[Math.floor(random() * teams.length)] ?? "team-0",
    topic: topics[index % topics.length] ?? "safe-birth",
    startDay: Math.floor(random() * (365 - campaignDays)),
  }));

  const yearStart = Date.UTC(options.year, 0, 1) - 7 * 3_600_000;
  const days = Math.round((Date.UTC(options.year + 1, 0, 1) - Date.UTC(options.year, 0, 1)) / 86_400_000);
  const perDay = options.events / days;

  function eventFor(person: number, kind: string, at: number, topic: string | null, campaign?: { id: string; teamId: string }): SyntheticEvent {
    const commune = personCommune[person] ?? 0;
    const groups = groupChoices[personGroups[person] ?? 0] ?? {};
    const correct = kind === "quiz_answered" && random() < 0.64;
    const topical = kind === "content_delivered" || kind === "module_completed" || kind === "quiz_answered" || kind === "campaign_delivered";
    return {
      kind,
      occurredAt: new Date(at),
      pseudonym: pseudonymOf(personKey[person] ?? 0),
      personKey: personKey[person] ?? 0,
      channel: channels[personChannel[person] ?? 0] ?? "zalo-bot",
      locale: locales[personLocale[person] ?? 0] ?? "vi",
      provinceCode: options.provinceCodes[communeProvince[commune] ?? 0] ?? null,
      communeCode: communeCodes[commune] ?? null,
      topic: topical ? topic : null,
      teamId: campaign?.teamId ?? communeTeam[commune] ?? null,
      campaignId: campaign?.id ?? null,
      groups,
      groupsText: JSON.stringify(groups),
      correct,
      contentKey: topical && topic !== null ? `${topic}:intro` : null,
      detail: campaign !== undefined ? JSON.stringify({ campaignId: campaign.id, run: 1 }) : kind === "quiz_answered" ? JSON.stringify({ quizId: `${topic}-q1`, correct }) : "{}",
    };
  }

  return {
    days,
    communeCodes,
    /** The events of local day `index` (0 = 1 January), in time order. */
    day(index: number): SyntheticEvent[] {
      const dayStart = yearStart + index * 86_400_000;
      const weekday = new Date(dayStart + 7 * 3_600_000).getUTCDay();
      const target = Math.round(perDay * (weekday === 0 || weekday === 6 ? 0.8 : 1.08));
      const running = campaigns.filter((campaign) => index >= campaign.startDay && index < campaign.startDay + campaignDays);
      const events: SyntheticEvent[] = [];
      // Local 06:00 to 22:00, when people read their messages.
      const at = () => dayStart + 6 * 3_600_000 + Math.floor(random() * 16 * 3_600_000);
      while (events.length < target) {
        const campaign = running.length > 0 && random() < campaignShare ? running[Math.floor(random() * running.length)] : undefined;
        if (campaign !== undefined) {
          const reachable = peopleOfTeam.get(campaign.teamId) ?? [];
          const person = reachable[Math.floor(random() * reachable.length)];
          if (person !== undefined) events.push(eventFor(person, "campaign_delivered", at(), campaign.topic, campaign));
          continue;
        }
        // A visit: one person, one topic, one to eight events a few minutes apart.
        const person = pickPerson();
        const topic = topics[Math.floor(random() * topics.length)] ?? null;
        let time = at();
        const length = 1 + Math.floor(-Math.log(1 - random()) * 2.2) % 8;
        for (let step = 0; step < length && events.length < target; step += 1) {
          if (random() < deletionShare) {
            events.push(eventFor(person, "data_deleted", time, null));
            personKey[person] = nextKey;
            nextKey += 1;
            break;
          }
          const kindIndex = pickKind();
          events.push(eventFor(person, kinds[kindIndex] ?? "content_delivered", time, topic));
          time += 20_000 + Math.floor(random() * 120_000);
        }
      }
      return events.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
    },
  };
}
