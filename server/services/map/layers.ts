// Static overlays of the situational map: hazards (points, zones, high-rises) and key places.
import type { Geometry } from 'geojson';
import { many, sql } from '../../db/index';
import { townshipsOf, type Tx } from '../../db/scope';

export interface HazardPoint {
  id: number;
  /** hazard_types code (geodata/dictionaries/hazard-types.json). */
  kind: string;
  kindName: string;
  name: string;
  /** 1 = 特大型/极高 … 4 = 小型/低. */
  riskLevel: 1 | 2 | 3 | 4 | null;
  threatenedPeople: number | null;
  threatenedHouseholds: number | null;
  onAlert: boolean;
  monitorName: string | null;
  monitorPhone: string | null;
  townshipName: string | null;
  lon: number;
  lat: number;
}

export interface HazardZone {
  id: number;
  kind: string;
  kindName: string;
  name: string;
  riskLevel: 1 | 2 | 3 | 4 | null;
  onAlert: boolean;
  polygon: Geometry;
}

export interface HighRise {
  id: number;
  name: string;
  heightM: number;
  floors: number;
  fireFacilityStatus: 'normal' | 'defective' | 'unknown';
  lon: number;
  lat: number;
  footprint: Geometry | null;
}

const risk = (v: number | null) => (v === null ? null : (v as 1 | 2 | 3 | 4));

export async function hazardLayers(tx: Tx): Promise<{ points: HazardPoint[]; zones: HazardZone[]; highRises: HighRise[] }> {
  const scope = [townshipsOf(tx)];
  const points = await many<{
    id: number; kind: string; kind_name: string; name: string; risk_level: number | null; threatened_people: number | null; threatened_households: number | null;
    on_alert: boolean; monitor_name: string | null; monitor_phone: string | null; township_name: string | null; lon: number; lat: number;
  }>(sql('map/hazard-points.sql'), scope, 'loading the hazard points', tx);
  const zones = await many<{ id: number; kind: string; kind_name: string; name: string; risk_level: number | null; on_alert: boolean; polygon: Geometry }>(
    sql('map/hazard-zones.sql'), scope, 'loading the hazard zones', tx,
  );
  const highRises = await many<{ id: number; name: string; height_m: number; floors: number; fire_facility_status: HighRise['fireFacilityStatus']; lon: number; lat: number; footprint: Geometry | null }>(
    sql('map/high-rises.sql'), scope, 'loading the high-rise buildings', tx,
  );
  return {
    points: points.map((p) => ({
      id: p.id, kind: p.kind, kindName: p.kind_name, name: p.name, riskLevel: risk(p.risk_level), threatenedPeople: p.threatened_people,
      threatenedHouseholds: p.threatened_households, onAlert: p.on_alert, monitorName: p.monitor_name, monitorPhone: p.monitor_phone,
      townshipName: p.township_name, lon: p.lon, lat: p.lat,
    })),
    zones: zones.map((z) => ({ id: z.id, kind: z.kind, kindName: z.kind_name, name: z.name, riskLevel: risk(z.risk_level), onAlert: z.on_alert, polygon: z.polygon })),
    highRises: highRises.map((h) => ({ id: h.id, name: h.name, heightM: h.height_m, floors: h.floors, fireFacilityStatus: h.fire_facility_status, lon: h.lon, lat: h.lat, footprint: h.footprint })),
  };
}

export interface Place {
  id: number;
  name: string;
  /** place_types code (geodata/dictionaries/place-types.json). */
  type: string;
  typeName: string;
  address: string | null;
  townshipName: string | null;
  lon: number;
  lat: number;
}

export async function placeLayer(tx: Tx): Promise<Place[]> {
  const rows = await many<{ id: number; name: string; type: string; type_name: string; address: string | null; township_name: string | null; lon: number; lat: number }>(
    sql('map/places.sql'), [townshipsOf(tx)], 'loading the key places', tx,
  );
  return rows.map((r) => ({ id: r.id, name: r.name, type: r.type, typeName: r.type_name, address: r.address, townshipName: r.township_name, lon: r.lon, lat: r.lat }));
}
