// The map page's URL parameter: the visible layers (?layers=county,roads,…; empty = none).
// The view (#zoom/lat/lon) is maplibre's own hash, which ignores what it cannot read.
import { z } from 'zod';
import type { ParamSpec } from '@/lib/url-params';
import { defaultVisibleLayers, isLayerId, LAYERS, type LayerId } from './layer-registry';

export const MAP_PARAMS = {
  layers: {
    schema: z
      .string()
      .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
      .refine((ids) => ids.every(isLayerId), { error: `图层须为 ${LAYERS.map((l) => `${l.id}(${l.title})`).join('、')},以逗号分隔` })
      .transform((ids) => ids as LayerId[]),
    fallback: null,
    label: '默认图层',
  } satisfies ParamSpec<LayerId[] | null>,
};

/** The layers to show: the link's, or the defaults. `layers=` (empty) shows none: the user switched them all off. */
export function visibleFromParams(search: URLSearchParams, read: LayerId[] | null): LayerId[] {
  if (read) return read;
  return search.has('layers') && search.get('layers') === '' ? [] : defaultVisibleLayers();
}
