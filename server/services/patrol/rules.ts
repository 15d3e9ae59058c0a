// The rules of patrol analytics (geodata/patrol-rules.json), checked with zod at load: how
// GPS tracks are cleaned, what a visit is, Koper compliance, the time bands, 见警率, route
// coverage and the route suggester's speeds and stop length. README "Patrol analytics"
// explains each; every result names the rules it used.
import { z } from 'zod';
import config from '../../../geodata/patrol-rules.json';

const hour = z.number().int().min(0).max(24);

export const PatrolRulesSchema = z.object({
  cleaning: z.object({
    /** A fix that implies a faster move from the last kept fix is dropped (rule "speed"). */
    maxSpeedKmh: z.number().positive().max(1000),
    /** A longer silence between kept fixes ends a track: the next fix starts a new one. */
    maxGapMinutes: z.number().positive().max(24 * 60),
    /** Fixes outside the county boundary are dropped (rule "outside"). */
    dropOutsideCounty: z.boolean(),
  }),
  dosage: z.object({
    /** A fix within this distance of an area counts as presence there. */
    radiusM: z.number().min(0).max(2000),
    /** A device's fix interval when it has no cleaning report yet (seconds). */
    defaultFixIntervalS: z.number().positive().max(3600),
    /** A gap up to this many fix intervals between fixes near the area is still one visit. */
    visitGapFactor: z.number().min(1).max(10),
    /** Presence shorter than this is a drive-through, counted apart from visits. */
    driveThroughMaxSeconds: z.number().min(0).max(3600),
  }),
  koper: z.object({
    minMinutes: z.number().positive(),
    maxMinutes: z.number().positive(),
    /** In a hot hour the last visit must have been at most this long ago. */
    revisitHours: z.number().positive().max(24),
    /** Hot hours: the busiest hours of day that together hold at least this share of the area's incidents… */
    hotHoursShare: z.number().min(0).max(1),
    /** …but at most this many hours. */
    hotHoursMax: z.number().int().min(1).max(24),
    /** An area with fewer incidents has no hot hours (nothing to concentrate). */
    minIncidents: z.number().int().min(1),
    incidentLookbackDays: z.number().int().min(7).max(3650),
  }).refine((k) => k.minMinutes < k.maxMinutes, { message: 'koper.minMinutes must be below koper.maxMinutes' }),
  bands: z.array(z.object({ name: z.string().min(1), from: hour, to: hour })).min(1)
    .refine((b) => b.every((x) => x.from < x.to) && b.slice(1).every((x, i) => x.from === b[i]!.to) && b[0]!.from === 0 && b[b.length - 1]!.to === 24, { message: 'bands must tile the day from 0 to 24 h in order' }),
  visibility: z.object({
    /** 见警率: a (unit, day, hour) cell counts when one visit stays this long in the unit within that hour. */
    minVisitMinutes: z.number().positive().max(60),
    /** How many of a unit's busiest incident hours are checked for presence. */
    peakHours: z.number().int().min(1).max(24),
  }),
  coverage: z.object({ withinM: z.number().positive().max(5000) }),
  suggest: z.object({
    stopMinutes: z.number().positive().max(120),
    walkKmh: z.number().positive().max(20),
    driveKmh: z.number().positive().max(120),
    maxCandidates: z.number().int().min(1).max(60),
    maxRoadSegments: z.number().int().positive(),
  }),
});

export type PatrolRules = z.infer<typeof PatrolRulesSchema>;

export const PATROL_RULES: PatrolRules = PatrolRulesSchema.parse(config);

/** The rule names of dropped fixes, with the words the page and reports use. */
export const DROP_RULES = ['outside', 'backwards', 'duplicate', 'speed'] as const;
export type DropRule = (typeof DROP_RULES)[number];
export const DROP_RULE_LABELS: Record<DropRule, string> = {
  outside: '位于县界之外',
  backwards: '时间倒退',
  duplicate: '时间重复',
  speed: '速度不合理(跳点)',
};

/** The band (index) of a China-time hour of day. */
export function bandOf(rules: PatrolRules, hour: number): number {
  return rules.bands.findIndex((b) => hour >= b.from && hour < b.to);
}
