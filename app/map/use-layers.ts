'use client';
// Runs every registry module for the map view: its data hook, its deck.gl layers memoised on
// the data and the module's own dependencies (a click, which only changes the selection,
// rebuilds the highlight and nothing else), its legend. The registry is a constant list, so
// calling hooks once per module in a loop keeps their order fixed between renders.
import { useMemo } from 'react';
import type { Layer } from '@deck.gl/core';
import { LAYER_MODULES } from '../layers/registry';
import type { DataState, LayerActions, LayerEnv, LayerModule, Legend, Selection } from '../layers/types';

export interface ModuleState {
  module: LayerModule;
  env: LayerEnv;
  state: DataState<unknown>;
  layers: Layer[];
  highlight: Layer[];
  legend: Legend;
}

/** One module's failure must not take the map down: it is logged (the e2e tests fail on console errors) and that module draws nothing. */
function guarded<T>(m: LayerModule, what: string, fallback: T, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    console.error(`layer ${m.id}: ${what} failed`, err);
    return fallback;
  }
}

const NONE: DataState<unknown> = { data: undefined, loading: false, error: null };
const NO_DEPS: unknown[] = [];

function useModule(m: LayerModule, shared: Omit<LayerEnv, 'active'>, active: boolean, sel: Selection | null, act: LayerActions): ModuleState {
  const env = useMemo<LayerEnv>(() => ({ ...shared, active }), [shared, active]);
  const state = m.useData ? m.useData(env) : NONE;
  const deps = m.deps ? m.deps(env) : NO_DEPS;
  const data = state.data;
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the module names its own dependencies
  const layers = useMemo(() => guarded(m, 'build', [], () => (active && data !== undefined && m.build ? m.build(data, env, act) : [])), [active, data, act, ...deps]);
  const mine = sel && sel.layer === m.id ? sel : null;
  const highlight = useMemo(() => guarded(m, 'highlight', [], () => (active && mine && m.highlight ? m.highlight(data, mine, env) : [])), [active, mine, data]);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const legend = useMemo(() => guarded(m, 'legend', { items: [], note: '图例生成失败' }, () => m.legend(data, env)), [data, active, ...deps]);
  return { module: m, env, state, layers, highlight, legend };
}

export function useLayers(shared: Omit<LayerEnv, 'active'>, visible: ReadonlySet<string>, sel: Selection | null, act: LayerActions): ModuleState[] {
  const out: ModuleState[] = [];
  for (const m of LAYER_MODULES) out.push(useModule(m, shared, visible.has(m.id), sel, act));
  return out;
}
