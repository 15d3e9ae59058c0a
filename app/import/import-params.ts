// The import page's URL parameter: the layer the page opens with (?layer=incidents), read
// through its schema (lib/url-params.ts), and the layers a file can go into.
import { oneOf, type ParamSpec } from '@/lib/url-params';

export type LayerChoice = 'cameras' | 'incidents' | 'places' | 'hazards' | 'roads' | 'grids' | 'admin' | 'patrol-routes' | 'patrol-tracks' | 'osm';
export const LAYER_OPTIONS: [LayerChoice, string][] = [
  ['cameras', '视频监控(摄像机台账)'], ['incidents', '案事件'], ['places', '重点场所'], ['hazards', '隐患点'], ['roads', '道路'],
  ['grids', '网格'], ['admin', '行政区划'], ['patrol-routes', '巡逻路线'], ['patrol-tracks', '巡逻轨迹'], ['osm', 'OSM 数据(道路+场所+摄像机)'],
];

export const IMPORT_PARAMS = {
  layer: {
    schema: oneOf(LAYER_OPTIONS.map(([v]) => v) as [LayerChoice, ...LayerChoice[]], LAYER_OPTIONS.map(([v, t]) => `${v} ${t}`)),
    fallback: 'cameras',
    label: '视频监控(摄像机台账)',
  } satisfies ParamSpec<LayerChoice>,
};
