import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SCRIPT_ALIASES, toCommandArgs } from '../../src/cli/aliases.js';

describe('toCommandArgs', () => {
  it('passes ordinary arguments through', () => {
    assert.deepEqual(toCommandArgs(['node', '/bin/hstlc', 'ingest', '--corrtag-extract']), ['ingest', '--corrtag-extract']);
    assert.deepEqual(toCommandArgs(['node', '/bin/hstlc']), []);
  });

  it('maps the program name of an original script, and its one-dash flags', () => {
    assert.deepEqual(toCommandArgs(['node', '/usr/bin/ingest_hstlc', '-corrtag_extract']), ['ingest', '--corrtag-extract']);
    assert.deepEqual(toCommandArgs(['node', '/usr/bin/build_stats_table', 'both']), ['stats', 'both']);
    assert.deepEqual(toCommandArgs(['node', '/x/reset_hstlc_database.js', 'all']), ['reset-database', 'all']);
    assert.deepEqual(toCommandArgs(['node', 'hstlc_pipeline', '-corrtag_extract']), ['pipeline', '--corrtag-extract']);
  });

  it('maps an original script name given as the command word, after global options', () => {
    assert.deepEqual(toCommandArgs(['node', 'hstlc', 'ingest_hstlc', '-corrtag_extract']), ['ingest', '--corrtag-extract']);
    assert.deepEqual(
      toCommandArgs(['node', 'hstlc', '--config', 'ingest_hstlc', '--verbose', 'make_hstlc_plots']),
      ['--config', 'ingest_hstlc', '--verbose', 'plots'],
    );
    assert.deepEqual(toCommandArgs(['node', 'hstlc', '--json', 'download_hstlc']), ['--json', 'download']);
  });

  it('leaves short and modern flags alone', () => {
    assert.deepEqual(toCommandArgs(['node', 'ingest_hstlc', '-h']), ['ingest', '-h']);
    assert.deepEqual(toCommandArgs(['node', 'ingest_hstlc', '--help']), ['ingest', '--help']);
  });

  it('knows every original console script', () => {
    assert.deepEqual(Object.keys(SCRIPT_ALIASES).sort(), [
      'build_stats_table',
      'download_hstlc',
      'hstlc_pipeline',
      'ingest_hstlc',
      'make_hstlc_plots',
      'reset_hstlc_database',
      'reset_hstlc_filesystem',
    ]);
  });
});
