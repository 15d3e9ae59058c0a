// The bounds of every analysis input (see server/limits.ts for why they are what they are
// and for the cost checks that use them). A plain module: the pages' forms read it too.
export const LIMITS = {
  /** Gi*, emerging hot spots, targets: square or hexagon cell size, metres. */
  cellM: { min: 100, max: 20_000 },
  /** Kernel density's cell, metres (finer than Gi*: it is a surface, not a test). */
  kdeCellM: { min: 50, max: 20_000 },
  /** Gi* fixed distance band, metres. */
  distanceM: { min: 100, max: 20_000 },
  /** Gi* k nearest neighbours. */
  knn: { min: 1, max: 100 },
  /** Kernel bandwidth, metres. */
  bandwidthM: { min: 50, max: 20_000 },
  /** Emerging hot spots: time slices. */
  slices: { min: 4, max: 60 },
  /** Incident categories named in one request. */
  categories: 50,
  /** Earliest and latest instant of a time window. */
  earliest: new Date('2000-01-01T00:00:00Z'),
  latest: new Date('2100-01-01T00:00:00Z'),
  /** Longest time window, days. */
  windowDays: 3_660,
  /** Cells of one analysis. */
  cells: 150_000,
  /** Emerging hot spots' finest cell: each time slice is a whole Gi* run, so the cube's cells are coarser than Gi*'s. */
  emergingCellM: 1_000,
  /** Cells of a kernel density surface. */
  kdeCells: 60_000,
  /**
   * Gi* work: cell pairs (cells × neighbours per cell) plus CELL_WORK per cell, summed over
   * the time slices of emerging hot spots. 5 M is ~7 s on the embedded engine here (idle).
   */
  pairs: 5_000_000,
  /** Kernel work: incidents × cells within the bandwidth (~2 µs a term embedded: 4 M ≈ 9 s). */
  kernelPairs: 4_000_000,
  /** Targets: ranked list length, cell size. */
  top: { min: 1, max: 1_000 },
  targetCellM: { min: 100, max: 5_000 },
  /** Cells of the targeting score (seven factors per cell, ~300 µs a cell embedded: 60,000 ≈ 18 s). */
  targetCells: 60_000,
  /** Cameras proposed by the placement recommender (补点). */
  budget: { min: 1, max: 1_000 },
  /** Situational map (态势地图): hexagon bins of one incident view (the lattice cells the view's box could hold). */
  mapBins: 20_000,
  /** Map zoom levels (maplibre, 512-px tiles). */
  mapZoom: { min: 0, max: 22 },
  /** Single incident points are drawn from this zoom on; up to `max` of them (`default` when not asked). */
  mapPoints: { minZoom: 14, default: 3_000, max: 5_000 },
  /** Widest box for single points, in screen pixels at zoom 14 (an 8K wall display). */
  mapPointsViewPx: 8_192,
  /** Patrol playback: longest span (hours), most GPS fixes sent (decimated evenly in time past it), teams named. */
  patrolHours: 24,
  patrolFixes: 50_000,
  patrolTeams: 100,
  /** Patrol analytics (dosage, 见警率, coverage): longest period (days) and most areas of one dosage. */
  patrolDays: 92,
  patrolAreas: 5_000,
  /** Map search: query length and results. */
  searchChars: { min: 1, max: 50 },
  searchResults: { default: 10, max: 20 },
} as const;
