// Choosing the forecasting method: every method forecasts each rolling-origin fold inside
// the training period (methods.ts, foldsOf), from that fold's history only, and the one
// with the highest mean PAI at VALIDATION_SHARE % wins; a tie goes to the simpler method
// (the earlier in METHOD_NAMES). The test window is never read: the forecasts and folds
// are cut from a history that ends at the training end.
import { foldsOf, METHOD_NAMES, runMethod, validate, VALIDATION_SHARE, type Forecast, type MethodName } from './methods';

export interface Choice {
  method: MethodName;
  /** mean validation PAI per method (null: no fold had incidents) */
  validation: Record<MethodName, number | null>;
  folds: Array<{ origin: string; end: string }>;
  reason: string;
}

const iso = (days: number) => new Date(days * 86_400_000).toISOString();

export function chooseMethod(f: Forecast, names: MethodName[] = METHOD_NAMES): Choice {
  const folds = foldsOf(f.start, f.origin, f.horizon);
  const validation = {} as Record<MethodName, number | null>;
  for (const name of names) validation[name] = validate(f, (sub) => runMethod(name, sub).score, folds);
  const scored = names.filter((n) => validation[n] !== null).sort((a, b) => validation[b]! - validation[a]! || names.indexOf(a) - names.indexOf(b));
  const foldList = folds.map((x) => ({ origin: iso(x.origin), end: iso(x.end) }));
  if (!scored.length) {
    return { method: 'counts', validation, folds: foldList, reason: 'The training period is too short or too sparse for a validation fold with incidents: counts, the simplest method, is used.' };
  }
  const [best, next] = scored as [MethodName, MethodName | undefined];
  const r = (v: number | null) => (v === null ? '—' : v.toFixed(3));
  const counts = best !== 'counts' && validation.counts !== null ? `; counts ${r(validation.counts)}` : '';
  return {
    method: best,
    validation,
    folds: foldList,
    reason: `${best} has the highest mean PAI at ${VALIDATION_SHARE} % over ${folds.length} rolling-origin fold${folds.length === 1 ? '' : 's'} inside the training period (${r(validation[best])}${next ? `; next ${next} ${r(validation[next])}` : ''}${next === 'counts' ? '' : counts}).`,
  };
}
