/**
 * The layers of src/, lowest first. A module may import from its own folder and from folders in lower
 * layers, never from a higher one; folders in one layer do not import each other unless listed in
 * `peers`. `npm test` runs this (npm run lint:layers) and fails on a reverse import or a cycle.
 * ARCHITECTURE.md says what each folder is.
 */
const LAYERS = [
  ['files', 'config'], // filesystem primitives, configuration: below everything
  ['log'], // logger and progress (reads the configuration's log settings)
  ['fits'], // FITS I/O
  ['lightcurve', 'quality', 'targets', 'synthetic'], // the lightcurve model and product; data checks; target names; the synthetic archive
  ['hst'], // HST extraction: event files to lightcurves (COS, STIS modes)
  ['analysis'], // statistics and periodograms of lightcurves
  ['db'], // the database: schema, dialects, queries (all SQL lives here)
  ['archive', 'plots'], // the archive on disk; plots and pages
  ['mast'], // downloads from MAST and CRDS
  ['pipeline'], // the stages: ingest, stats, plots
  ['cli'], // the command line: a thin layer over the stages
];

const rank = new Map(LAYERS.flatMap((folders, i) => folders.map((f) => [f, i])));

const forbidden = [
  {
    name: 'no-circular',
    severity: 'error',
    comment: 'A cycle makes the load order and the layering meaningless.',
    from: { path: '^src/' },
    to: { circular: true },
  },
  {
    name: 'known-folder',
    severity: 'error',
    comment: 'Every folder of src/ has a place in the layers of .dependency-cruiser.cjs.',
    from: { path: `^src/`, pathNot: `^src/(${[...rank.keys()].join('|')})/` },
    to: {},
  },
];
for (const [folder, r] of rank) {
  const above = [...rank].filter(([f, s]) => f !== folder && s >= r).map(([f]) => f);
  if (above.length === 0) continue;
  forbidden.push({
    name: `layer-${folder}`,
    severity: 'error',
    comment: `src/${folder} is in layer ${r}; it may not import from its layer's peers or from a higher layer.`,
    from: { path: `^src/${folder}/` },
    to: { path: `^src/(${above.join('|')})/` },
  });
}

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
