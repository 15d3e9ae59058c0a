// Who is asking: the actor of every request. It comes from a session cookie (a person),
// a display token (a wall display), a feed token (a system pushing camera status or hazard
// alerts), a print token (Chromium printing a report for the person who asked for it) or
// the command line (`--as <user>`, or a named system actor).
// Every read and write runs in withScope(actor, …) (server/db/scope.ts), which applies
// the actor to the transaction: role, townships, statement timeout.
export const ROLES = ['admin', 'commander', 'analyst', 'township', 'auditor', 'kiosk', 'feed'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, string> = {
  admin: '系统管理员',
  commander: '指挥长',
  analyst: '研判分析员',
  township: '乡镇(街道)专干',
  auditor: '审计员',
  kiosk: '大屏',
  feed: '数据接入',
};

/** What a role may do. A procedure or route names one capability; see docs/ROLES.md. */
export const CAPABILITIES = {
  /** base map, layers, counts: everyone signed in, the wall too */
  'map.read': ['admin', 'commander', 'analyst', 'township', 'auditor', 'kiosk'],
  /** analyses, coverage figures, targets, 平安指数, import jobs: read-only */
  'data.read': ['admin', 'commander', 'analyst', 'township', 'auditor'],
  /** files out: exports and printed reports */
  export: ['commander', 'analyst', 'township', 'auditor'],
  /** 挂牌整治 targets: list, change status, evaluate */
  'targets.write': ['analyst'],
  /** camera register edits, candidate sites */
  'coverage.write': ['analyst'],
  /** imports of county data */
  'import.write': ['admin', 'analyst'],
  /** the audit log */
  'audit.read': ['admin', 'auditor'],
  /** users, roles, display tokens */
  'users.admin': ['admin'],
  /** the command-centre wall */
  'wall.read': ['commander', 'kiosk'],
  /** pushes from outside: camera status, hazard alerts (POST /api/ingest/…) */
  'live.ingest': ['feed'],
  /** one's own account (password change) */
  'self': ['admin', 'commander', 'analyst', 'township', 'auditor'],
} as const satisfies Record<string, readonly Role[]>;
export type Capability = keyof typeof CAPABILITIES;

export interface Actor {
  kind: 'user' | 'display' | 'feed' | 'system';
  /** 'user:<username>', 'display:<name>', 'feed:<name>' or 'system:<what>' — as written to the audit log */
  id: string;
  userId?: number;
  displayName: string;
  roles: readonly Role[];
  /** null: the whole county */
  townships: readonly string[] | null;
  /** the client address, for the audit log */
  address?: string;
  /** a feed: what it may push ('camera-status', 'hazard-alert') */
  topics?: readonly string[];
  /** a person who must change the initial password before doing anything else */
  mustChangePassword?: boolean;
}

/**
 * An explicit system actor (the CLI without --as, import jobs' bookkeeping, benchmarks,
 * tests): the whole county with the roles it needs, written to the audit log under its name.
 */
export function systemActor(what: string, roles: readonly Role[] = ['admin', 'analyst', 'auditor']): Actor {
  return { kind: 'system', id: `system:${what}`, displayName: `系统(${what})`, roles, townships: null };
}

export function can(actor: Actor | null | undefined, cap: Capability): boolean {
  if (!actor) return false;
  const allowed: readonly Role[] = CAPABILITIES[cap];
  return actor.roles.some((r) => allowed.includes(r));
}

/** The setting app.townships: '*' for the county, else the codes. */
export function townshipSetting(actor: Actor): string {
  return actor.townships === null ? '*' : actor.townships.join(',');
}
