// The 平安指数 ranks the townships against each other, so it is a county-wide figure: a
// township officer may read it but must not get one recomputed under their own scope
// (which would see one township and rank it against nothing). It is computed with the
// county's rights and published in published_results; officers read the published result
// for the same parameters, or, when there is none yet, one computed with the county's
// rights inside their transaction (only for this computation) and then published.
import crypto from 'node:crypto';
import { many, maybeOne } from '../../db/index';
import { actorOf, withScope, type Tx } from '../../db/scope';
import { systemActor, townshipSetting, type Actor } from '../../context';
import { computePeaceIndex, type PeaceIndexInput, type PeaceIndexResult } from './index';

const PUBLISHER = systemActor('publish', ['analyst']);

function keyOf(input: PeaceIndexInput): string {
  const norm = JSON.stringify({ from: input.from ? new Date(input.from).toISOString() : null, to: input.to ? new Date(input.to).toISOString() : null, top: input.top ?? 3, weights: input.weights ?? null });
  return `peace-index:${crypto.createHash('sha256').update(norm).digest('hex').slice(0, 32)}`;
}

/** Runs `fn` with the county's rights inside `tx`, then restores the actor's township scope. */
async function withCountyRights<T>(tx: Tx, fn: () => Promise<T>): Promise<T> {
  await tx.query(`SELECT set_config('app.townships', '*', true)`);
  try {
    return await fn();
  } finally {
    await tx.query(`SELECT set_config('app.townships', $1, true)`, [townshipSetting(actorOf(tx))]);
  }
}

async function published(tx: Tx, key: string): Promise<PeaceIndexResult | null> {
  const row = await maybeOne<{ result: PeaceIndexResult }>(`SELECT result FROM published_results WHERE key = $1`, [key], 'reading the published 平安指数', tx);
  return row?.result ?? null;
}

/** The index as `tx`'s actor may see it, and whether it was computed here (not read as published). */
async function resolve(tx: Tx, input: PeaceIndexInput): Promise<{ result: PeaceIndexResult; computed: boolean }> {
  if (actorOf(tx).townships === null) return { result: await computePeaceIndex(tx, input), computed: true };
  const p = await published(tx, keyOf(input));
  return p ? { result: p, computed: false } : { result: await withCountyRights(tx, () => computePeaceIndex(tx, input)), computed: true };
}

/** The index as `tx`'s actor may see it: computed for the county, published for officers. */
export async function peaceIndexIn(tx: Tx, input: PeaceIndexInput): Promise<PeaceIndexResult> {
  return (await resolve(tx, input)).result;
}

export async function publishPeaceIndex(input: PeaceIndexInput, result: PeaceIndexResult, by: Actor): Promise<void> {
  await withScope(PUBLISHER, { attempted: 'publishing the 平安指数' }, (tx) =>
    many(
      `INSERT INTO published_results (key, params, result, computed_by) VALUES ($1, $2::jsonb, $3::jsonb, $4)
       ON CONFLICT (key) DO UPDATE SET params = excluded.params, result = excluded.result, computed_by = excluded.computed_by, computed_at = now()`,
      [keyOf(input), JSON.stringify(input), JSON.stringify(result), by.id], 'publishing the 平安指数', tx,
    ),
  );
}

/** The tRPC entry: compute (county) or read the published result (officer), publishing what was computed. */
export async function peaceIndexFor(actor: Actor, input: PeaceIndexInput): Promise<PeaceIndexResult> {
  const { result, computed } = await withScope(actor, { attempted: 'computing the 平安指数', readOnly: true }, (tx) => resolve(tx, input));
  // what officers will ask for: the default period, or what an officer just needed
  const defaults = !input.from && !input.to && !input.weights;
  if (computed && (actor.townships !== null || defaults)) await publishPeaceIndex(input, result, actor);
  return result;
}
