// Key places (重点场所): most in the county seat along its streets, the rest around
// township seats and villages. Each has an entrance point facing its street; larger
// places get a rectangular footprint.
import type { Rng } from './random';
import type { NameBook } from './names';
import { CHINESE_ORDINALS } from './names';
import type { XY } from './frame';
import type { AdminSkeleton, Township } from './admin';
import type { RoadNetwork } from './roads';

export interface Place {
  name: string;
  placeType: string;
  township: Township;
  at: XY;
  entrance: XY;
  /** Half-size of a rectangular footprint in metres, if the place has one. */
  footprintHalf: number | null;
  address: string;
}

const FOOTPRINT_HALF_M: Record<string, number> = {
  school: 70, kindergarten: 30, hospital: 60, clinic: 25, station: 50, market: 40, mall: 45, government: 45, hazchem: 60, scenic: 150,
};

// How many of each type the county seat holds.
const SEAT_MIX: [string, number][] = [
  ['government', 12], ['school', 12], ['kindergarten', 14], ['hospital', 3], ['clinic', 4], ['station', 2], ['market', 5],
  ['mall', 16], ['internet_cafe', 18], ['hotel', 28], ['entertainment', 26], ['petrol_station', 6], ['bank', 24], ['square', 4], ['hazchem', 2],
];
// And each other township seat.
const TOWNSHIP_MIX: [string, number][] = [
  ['government', 2], ['school', 2], ['kindergarten', 2], ['clinic', 1], ['market', 1], ['mall', 1], ['internet_cafe', 1],
  ['hotel', 1], ['entertainment', 1], ['petrol_station', 1], ['bank', 2],
];
const SEAT_GOVERNMENT = ['县委县政府', '县公安局', '县人民法院', '县人民检察院', '县综治中心', '县应急管理局', '县消防救援大队', '县交警大队', '城关派出所', '县信访局', '县教育局', '县自然资源局'];
const HOSPITALS = ['县人民医院', '县中医院', '县妇幼保健院'];
const BRANDS = { mall: ['永辉超市', '华润万家', '新华都', '大润发', '好又多'], bank: ['中国农业银行', '中国建设银行', '中国工商银行', '中国银行', '农村信用社', '邮储银行'], hotel: ['宾馆', '大酒店', '商务酒店', '快捷酒店'], entertainment: ['KTV', '酒吧', '足浴城', '歌舞厅', '棋牌室'], internet_cafe: ['网吧', '网咖'] };

export function makePlaces(rng: Rng, names: NameBook, admin: AdminSkeleton, net: RoadNetwork, total: number): Place[] {
  const places: Place[] = [];
  const { angleDeg, halfWidth, halfHeight, spacing } = net.seatGrid;
  const seat = admin.seat;
  const a = (angleDeg * Math.PI) / 180;
  const rot = (u: number, v: number): XY => [seat.centre[0] + u * Math.cos(a) - v * Math.sin(a), seat.centre[1] + u * Math.sin(a) + v * Math.cos(a)];

  // A spot beside a seat street: snap to a street line, step 30–60 m off it.
  const seatSpot = (concentrate: number): { at: XY; entrance: XY; street: number } => {
    const u = rng.normal() * halfWidth * concentrate;
    const v = rng.normal() * halfHeight * concentrate;
    const cu = Math.max(-halfWidth, Math.min(halfWidth, u));
    const cv = Math.max(-halfHeight, Math.min(halfHeight, v));
    const onStreet = Math.round((cv + halfHeight) / spacing);
    const sv = -halfHeight + onStreet * spacing;
    const side = rng.chance(0.5) ? 1 : -1;
    const off = rng.uniform(30, 60);
    return { at: rot(cu, sv + side * off), entrance: rot(cu, sv + side * 8), street: onStreet };
  };
  const nearTownship = (t: Township, spread: number): { at: XY; entrance: XY } => {
    for (let k = 0; k < 100; k++) {
      const at: XY = [t.centre[0] + rng.normal() * spread, t.centre[1] + rng.normal() * spread];
      if (admin.locate(at)?.township === t) return { at, entrance: [at[0] + rng.uniform(-10, 10), at[1] - 15] };
    }
    return { at: t.centre, entrance: t.centre };
  };

  const counters: Record<string, number> = {};
  const nameFor = (type: string, t: Township): string => {
    const n = (counters[`${t.code}:${type}`] = (counters[`${t.code}:${type}`] ?? 0) + 1);
    const town = t.isSeat ? '' : t.name;
    const ord = CHINESE_ORDINALS[(n - 1) % 10]!;
    switch (type) {
      case 'government': return t.isSeat ? (SEAT_GOVERNMENT[n - 1] ?? `县直机关${n}`) : n === 1 ? `${t.name}人民政府` : `${t.name.replace(/[镇乡]$/, '')}派出所`;
      case 'school':
        if (!t.isSeat) return n === 1 ? `${t.name}中心小学` : `${t.name}中学`;
        return n <= 3 ? `县第${ord}中学` : n === 4 ? '县实验小学' : `县第${CHINESE_ORDINALS[(n - 5) % 10]}小学`;
      case 'kindergarten': return `${town || '县'}${t.isSeat ? `第${ord}` : n === 1 ? '中心' : `第${ord}`}幼儿园`;
      case 'hospital': return HOSPITALS[n - 1] ?? `县第${ord}医院`;
      case 'clinic': return t.isSeat ? `城关社区卫生服务中心${n > 1 ? ord : ''}` : `${t.name}卫生院`;
      case 'station': return n === 1 ? '县汽车客运站' : '县火车站';
      case 'market': return `${town || names.placeStem()}农贸市场`;
      case 'mall': return `${rng.pick(BRANDS.mall)}(${town || names.placeStem()}店)`;
      case 'internet_cafe': return `${names.placeStem()}${rng.pick(BRANDS.internet_cafe)}`;
      case 'hotel': return `${names.placeStem()}${rng.pick(BRANDS.hotel)}`;
      case 'entertainment': return `${names.placeStem()}${rng.pick(BRANDS.entertainment)}`;
      case 'petrol_station': return `中国石化${town || names.placeStem()}加油站`;
      case 'bank': return `${rng.pick(BRANDS.bank)}${town || names.placeStem()}支行`;
      case 'square': return `${names.placeStem()}广场`;
      case 'hazchem': return `${names.placeStem()}化工有限公司`;
      case 'reservoir': return `${names.placeStem()}水库`;
      case 'scenic': return `${names.placeStem()}风景区`;
      default: return `${names.placeStem()}${type}`;
    }
  };
  const push = (type: string, t: Township, spot: { at: XY; entrance: XY }, address: string) => {
    places.push({ name: nameFor(type, t), placeType: type, township: t, at: spot.at, entrance: spot.entrance, footprintHalf: FOOTPRINT_HALF_M[type] ?? null, address });
  };

  for (const [type, n] of SEAT_MIX) {
    for (let i = 0; i < n; i++) {
      const concentrate = type === 'entertainment' || type === 'internet_cafe' ? 0.25 : type === 'hazchem' || type === 'petrol_station' ? 0.9 : 0.45;
      const s = seatSpot(concentrate);
      push(type, seat, s, `${admin.countyName}${seat.name}${names.street(s.street)}${rng.int(1, 300)}号`);
    }
  }
  for (const t of admin.townships.filter((x) => !x.isSeat)) {
    for (const [type, n] of TOWNSHIP_MIX) {
      for (let i = 0; i < n; i++) push(type, t, nearTownship(t, 350), `${admin.countyName}${t.name}${t.name.slice(0, 2)}街${rng.int(1, 120)}号`);
    }
  }
  // Reservoirs in side valleys and scenic areas in the hills.
  for (let i = 0; i < 12; i++) {
    const t = rng.pick(admin.townships);
    push('reservoir', t, nearTownship(t, 3000), `${admin.countyName}${t.name}`);
  }
  for (let i = 0; i < 6; i++) {
    const t = rng.pick(admin.townships.filter((x) => !x.isSeat));
    push('scenic', t, nearTownship(t, 2500), `${admin.countyName}${t.name}`);
  }
  // Private spaces inside hotels and schools: cameras must not point into them.
  for (const [type, host] of [['hotel_room', 'hotel'], ['hotel_room', 'hotel'], ['hotel_room', 'hotel'], ['dormitory', 'school'], ['changing_room', 'school']] as const) {
    const h = rng.pick(places.filter((p) => p.placeType === host));
    places.push({ name: `${h.name}${type === 'hotel_room' ? `${rng.int(2, 8)}0${rng.int(1, 9)}客房` : type === 'dormitory' ? '学生宿舍' : '更衣室'}`, placeType: type, township: h.township, at: h.at, entrance: h.entrance, footprintHalf: null, address: h.address });
  }
  // Village schools and kindergartens (教学点) until the target count is reached.
  const villages = admin.townships.flatMap((t) => t.villages.filter((v) => !v.isCommunity).map((v) => ({ t, v })));
  rng.shuffle(villages);
  for (let i = 0; places.length < total && i < villages.length * 2; i++) {
    const { t, v } = villages[i % villages.length]!;
    const type = i < villages.length ? 'school' : 'kindergarten';
    const at: XY = [v.centre[0] + rng.uniform(-150, 150), v.centre[1] + rng.uniform(-150, 150)];
    places.push({ name: `${v.name}${type === 'school' ? '小学' : '幼儿园'}`, placeType: type, township: t, at, entrance: [at[0], at[1] - 12], footprintHalf: FOOTPRINT_HALF_M[type]! / 2, address: `${admin.countyName}${t.name}${v.name}` });
  }
  return places;
}
