#!/usr/bin/python3
# Independent reference for the camera coverage figures: road length inside the cameras'
# views on a real OSM extract, computed with GEOS (shapely) and PROJ (pyproj) from Debian
# (python3-shapely, python3-pyproj). It shares no code with the project: it reads the .osm
# XML itself and applies the same stated rules, taken from the repository's JSON files
# (geodata/coverage.json `view`, geodata/import-defaults.json `osmCamera`) so they cannot
# drift. tests/integration/coverage-lyon.test.ts compares its output with computeCoverage.
#   /usr/bin/python3 scripts/reference/lyon-coverage.py [file.osm]
# Prints one JSON object on stdout; lengths in metres in UTM zone 31N (EPSG:32631).
#
# Rules (the project's, restated):
# - Roads: ways tagged highway=<one of ROAD_HIGHWAYS> (server/import/osm.ts). A closed way
#   tagged area=yes is an area (a square), not a line, and is not a road. Road class: the
#   first letter of `ref` when it is a Chinese route letter (G/S/X/Y/C), else the highway
#   tag, mapped as server/import/dictionaries.ts maps them (ROAD_CLASS below).
# - Study area: the file's <bounds> box in EPSG:4326; roads are clipped to it.
# - Cameras: nodes tagged man_made=surveillance. Type: camera:type (fixed when missing),
#   mapped as dictionaries.ts maps cameraType. A fixed camera gets the osmCamera fixed FOV
#   and range, any other type the dome FOV and range. Azimuth: camera:direction in degrees
#   or as a 16-point compass word (N, NNE, …); missing means the direction is unknown.
#   OSM has no camera status: every camera counts (nominal coverage).
# - Views (coverage.json `view`): a fixed camera with an azimuth and FOV < 360° sees a
#   sector with its apex at the camera, centred on the azimuth (0° = true north,
#   clockwise), opening the FOV, radius range × rangeFactor.fixed; a dome or PTZ camera,
#   or any 360° view, a full circle of radius range × rangeFactor[type]; a fixed camera
#   without an azimuth sees nothing and is counted as unknown. Arc vertices every
#   arcStepDeg. Each view is built in an azimuthal-equidistant projection centred on its
#   camera (true north and distances exact from the centre: the vertices are the geodesic
#   destinations) and then transformed to EPSG:32631.
# - Covered road length: length of (clipped roads ∩ union of all views), per class.
import json
import math
import os
import sys
import xml.etree.ElementTree as ET

from pyproj import CRS, Transformer
from shapely.geometry import LineString, MultiLineString, Polygon, box
from shapely.ops import transform, unary_union

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_FILE = os.path.join(ROOT, '..', 'shared', 'data', 'cameras', 'lyon_villeurbanne_roads_and_cameras.wgs84.osm')
METRIC_SRID = 32631

# server/import/osm.ts ROAD_HIGHWAYS
ROAD_HIGHWAYS = {
    'motorway', 'trunk', 'primary', 'secondary', 'tertiary', 'unclassified', 'residential', 'service', 'living_street', 'pedestrian', 'track', 'road',
    'motorway_link', 'trunk_link', 'primary_link', 'secondary_link', 'tertiary_link',
}
# highway tag or Chinese route letter -> road class (server/import/dictionaries.ts, roadClass synonyms)
ROAD_CLASS = {
    'G': 'national', 'motorway': 'national', 'trunk': 'national', 'motorway_link': 'national', 'trunk_link': 'national',
    'S': 'provincial', 'primary': 'provincial', 'primary_link': 'provincial',
    'X': 'county', 'secondary': 'county', 'secondary_link': 'county',
    'Y': 'township', 'tertiary': 'township', 'tertiary_link': 'township',
    'C': 'village', 'unclassified': 'village', 'track': 'village',
    'residential': 'urban', 'service': 'urban', 'living_street': 'urban', 'pedestrian': 'urban', 'road': 'urban',
}
# OSM camera:type -> camera type (dictionaries.ts, cameraType synonyms for the English words)
CAMERA_TYPE = {'fixed': 'fixed', 'bullet': 'fixed', 'box': 'fixed', 'dome': 'dome', 'ptz': 'ptz', 'panning': 'ptz'}
# camera:direction compass words -> degrees (server/import/osm.ts CARDINAL: 16 points)
COMPASS = {w: i * 22.5 for i, w in enumerate('N NNE NE ENE E ESE SE SSE S SSW SW WSW W WNW NW NNW'.split())}


def load_json(rel):
    with open(os.path.join(ROOT, rel), encoding='utf-8') as f:
        return json.load(f)


def tags_of(el):
    return {t.get('k'): t.get('v') for t in el.findall('tag')}


def parse_azimuth(value):
    """Degrees clockwise from north, or None when missing or unreadable."""
    if value is None:
        return None
    v = value.strip().upper()
    if v in COMPASS:
        return COMPASS[v]
    try:
        deg = float(v)
    except ValueError:
        return None
    return deg if 0 <= deg <= 360 else None


def line_parts(geom):
    """The LineStrings of a clipping result (points and empty parts dropped)."""
    if geom.is_empty:
        return []
    if isinstance(geom, LineString):
        return [geom]
    if isinstance(geom, MultiLineString):
        return list(geom.geoms)
    if hasattr(geom, 'geoms'):
        return [p for g in geom.geoms for p in line_parts(g)]
    return []


def view_polygon(lon, lat, azimuth, fov, radius, step):
    """The view in EPSG:32631: sector (apex + arc) or full circle, built in the camera's own aeqd."""
    aeqd = CRS.from_proj4(f'+proj=aeqd +lat_0={lat!r} +lon_0={lon!r} +datum=WGS84 +units=m +no_defs')
    to_metric = Transformer.from_crs(aeqd, CRS.from_epsg(METRIC_SRID), always_xy=True)
    full = fov >= 360
    n = max(1, math.ceil(min(fov, 360) / step))
    if full:
        angles = [360.0 * k / n for k in range(n)]
        ring = []
    else:
        angles = [azimuth - fov / 2 + fov * k / n for k in range(n + 1)]
        ring = [(0.0, 0.0)]
    # azimuth a (clockwise from north) in a north-up plane: x = r sin a (east), y = r cos a (north)
    ring += [(radius * math.sin(math.radians(a)), radius * math.cos(math.radians(a))) for a in angles]
    xs, ys = to_metric.transform([p[0] for p in ring], [p[1] for p in ring])
    return Polygon(list(zip(xs, ys)))


def main():
    file = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_FILE)
    coverage = load_json('geodata/coverage.json')['view']
    defaults = load_json('geodata/import-defaults.json')['osmCamera']
    step = float(coverage['arcStepDeg'])
    factor = coverage['rangeFactor']

    root = ET.parse(file).getroot()
    b = root.find('bounds')
    if b is None:
        sys.exit(f'{file}: no <bounds> element')
    west, south, east, north = (float(b.get(k)) for k in ('minlon', 'minlat', 'maxlon', 'maxlat'))
    area = box(west, south, east, north)

    nodes = {}
    cameras = []
    for n in root.iter('node'):
        lon, lat = float(n.get('lon')), float(n.get('lat'))
        nodes[n.get('id')] = (lon, lat)
        t = tags_of(n)
        if t.get('man_made') == 'surveillance':
            cameras.append((n.get('id'), lon, lat, t))

    to_metric = Transformer.from_crs(CRS.from_epsg(4326), CRS.from_epsg(METRIC_SRID), always_xy=True)

    # roads: (class, clipped line in metres)
    roads = []
    skipped = {'areas': 0, 'missingNodes': 0, 'tooShort': 0}
    for w in root.iter('way'):
        t = tags_of(w)
        if t.get('highway') not in ROAD_HIGHWAYS:
            continue
        refs = [nd.get('ref') for nd in w.findall('nd')]
        if len(refs) > 2 and refs[0] == refs[-1] and t.get('area') == 'yes':
            skipped['areas'] += 1
            continue
        coords = [nodes[r] for r in refs if r in nodes]
        if len(coords) < len(refs):
            skipped['missingNodes'] += 1
        if len(set(coords)) < 2:
            skipped['tooShort'] += 1
            continue
        ref = (t.get('ref') or '').strip()[:1].upper()
        cls = ROAD_CLASS[ref] if ref and ref in 'GSXYC' else ROAD_CLASS[t['highway']]
        for part in line_parts(LineString(coords).intersection(area)):
            roads.append((cls, transform(to_metric.transform, part)))

    views = []
    counts = {'total': 0, 'sector': 0, 'circle': 0, 'unknown': 0}
    camera_list = []
    for cid, lon, lat, t in cameras:
        raw_type = (t.get('camera:type') or 'fixed').strip().lower()
        if raw_type not in CAMERA_TYPE:
            sys.exit(f'camera node {cid}: camera:type={raw_type!r} is not in the stated mapping')
        ctype = CAMERA_TYPE[raw_type]
        fixed = ctype == 'fixed'
        fov = float(defaults['fixedFovDeg'] if fixed else defaults['domeFovDeg'])
        rng = float(defaults['fixedRangeM'] if fixed else defaults['domeRangeM'])
        azimuth = parse_azimuth(t.get('camera:direction'))
        counts['total'] += 1
        if not fixed or fov >= 360:
            kind, radius = 'circle', rng * float(factor[ctype])
            view = view_polygon(lon, lat, 0.0, 360.0, radius, step)
        elif azimuth is None:
            kind, radius, view = 'unknown', None, None
        else:
            kind, radius = 'sector', rng * float(factor['fixed'])
            view = view_polygon(lon, lat, azimuth, fov, radius, step)
        counts[kind] += 1
        if view is not None:
            views.append(view)
        camera_list.append({'id': f'node/{cid}', 'type': ctype, 'kind': kind, 'azimuthDeg': azimuth, 'fovDeg': fov,
                            'radiusM': radius, 'areaM2': None if view is None else round(view.area, 3)})

    union = unary_union(views)
    by_class = {}
    total = covered = 0.0
    for cls, line in roads:
        length = line.length
        inside = line.intersection(union).length if views else 0.0
        c = by_class.setdefault(cls, {'totalM': 0.0, 'coveredM': 0.0})
        c['totalM'] += length
        c['coveredM'] += inside
        total += length
        covered += inside

    print(json.dumps({
        'file': file,
        'srid': METRIC_SRID,
        'bounds': {'west': west, 'south': south, 'east': east, 'north': north},
        'cameras': counts,
        'roads': {'totalM': total, 'coveredM': covered, 'byClass': dict(sorted(by_class.items())), 'pieces': len(roads), 'skippedWays': skipped},
        'rules': {
            'roadHighways': sorted(ROAD_HIGHWAYS), 'roadClass': ROAD_CLASS, 'cameraType': CAMERA_TYPE,
            'osmCamera': {k: v for k, v in defaults.items() if k != 'note'},
            'arcStepDeg': step, 'rangeFactor': factor,
            'studyArea': 'the file\'s <bounds> box (EPSG:4326)',
            'views': 'sector for fixed cameras with an azimuth; circle of range x rangeFactor[type] for dome/PTZ or 360-degree views; none (unknown) for fixed cameras without an azimuth; built in a camera-centred aeqd, then EPSG:32631',
            'covered': 'length of (clipped roads ∩ union of all views), all cameras counted (nominal)',
        },
        'cameraList': camera_list,
        'versions': {'shapely': __import__('shapely').__version__, 'pyproj': __import__('pyproj').__version__, 'geos': '.'.join(map(str, __import__('shapely').geos.geos_version))},
    }, indent=2, ensure_ascii=False))


if __name__ == '__main__':
    main()
