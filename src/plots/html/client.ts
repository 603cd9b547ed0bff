/**
 * The pages' own scripts and styles, written to plot_dir/assets/ next to the vendored ECharts and
 * Tabulator. They hold no data: each page embeds its data as a JSON block (escape.ts jsonForScript), so
 * no header or database string is ever parsed as code or markup. Written for plain browsers (ES5 syntax).
 */

/** Initialises every chart described in `<script type="application/json" id="hstlc-charts">`. */
export const CHARTS_JS = `(function () {
  'use strict';
  var block = document.getElementById('hstlc-charts');
  if (!block || typeof echarts === 'undefined') return;
  var specs = JSON.parse(block.textContent);
  var charts = [];

  // Options are JSON; the formatters they name are put in here (charts/dashboard.ts browserMjdFormatter).
  // MJD without thousands separators, none at the breaks (the zigzag marks them; two labels would overlap).
  function mjdFormatter(decimals) {
    return function (value, index, extra) {
      if (extra && extra.break) return '';
      return Number(value).toFixed(decimals);
    };
  }
  function withFormatters(option) {
    ['xAxis', 'yAxis'].forEach(function (key) {
      var axes = option[key];
      if (!axes) return;
      (Array.isArray(axes) ? axes : [axes]).forEach(function (axis) {
        var f = axis.axisLabel && axis.axisLabel.formatter;
        var m = typeof f === 'string' ? /^hstlc:mjd:(\\d)$/.exec(f) : null;
        if (m) axis.axisLabel.formatter = mjdFormatter(Number(m[1]));
      });
    });
    return option;
  }
  specs.forEach(function (spec) {
    var el = document.getElementById(spec.id);
    if (!el) return;
    var chart = echarts.init(el, null, { renderer: 'canvas' });
    chart.setOption(withFormatters(spec.option));
    charts.push(chart);
  });
  window.addEventListener('resize', function () {
    charts.forEach(function (c) { c.resize(); });
  });
  window.hstlcCharts = charts;
  document.documentElement.setAttribute('data-charts-ready', String(charts.length));
})();
`;

/** Builds the exploratory table from `<script type="application/json" id="hstlc-table">`. */
export const TABLE_JS = `(function () {
  'use strict';
  var block = document.getElementById('hstlc-table');
  if (!block || typeof Tabulator === 'undefined') return;
  var spec = JSON.parse(block.textContent);

  function number(cell) {
    var v = cell.getValue();
    if (v === null || v === undefined) return '';
    if (typeof v !== 'number') return String(v);
    if (Number.isInteger(v)) return String(v);
    return Math.abs(v) !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6) ? v.toExponential(3) : String(Number(v.toPrecision(5)));
  }

  // Built with DOM calls, never innerHTML: the strings come from FITS headers and the database.
  var lightbox = document.getElementById('hstlc-lightbox');
  function closeLightbox() {
    if (lightbox) lightbox.hidden = true;
  }
  // A thumbnail opens in place, enlarged, with a link to the dashboard; Esc, the button or a click
  // beside the image closes it.
  function openLightbox(row) {
    if (!lightbox) return;
    var img = lightbox.querySelector('img');
    if (!img) {
      img = document.createElement('img');
      lightbox.querySelector('figure').insertBefore(img, lightbox.querySelector('figcaption'));
    }
    img.src = row.thumbnail;
    img.alt = 'lightcurve of ' + row.target;
    var link = lightbox.querySelector('a.dashboard');
    if (row.dashboard) { link.href = row.dashboard; link.hidden = false; } else { link.removeAttribute('href'); link.hidden = true; }
    lightbox.hidden = false;
    lightbox.querySelector('button.close').focus();
  }
  if (lightbox) {
    lightbox.addEventListener('click', function (e) {
      if (e.target === lightbox || (e.target.classList && e.target.classList.contains('close'))) closeLightbox();
    });
    document.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') closeLightbox();
    });
  }

  function plot(cell) {
    var row = cell.getRow().getData();
    if (!row.thumbnail) return '';
    var img = document.createElement('img');
    img.src = row.thumbnail;
    img.alt = 'lightcurve of ' + row.target;
    img.title = 'click to enlarge';
    img.className = 'thumbnail';
    // Fixed size (the PNG is 1000 × 300): Tabulator sizes rows before images load.
    img.width = 128;
    img.height = 38;
    img.addEventListener('click', function () { openLightbox(row); });
    return img;
  }

  function target(cell) {
    var row = cell.getRow().getData();
    var text = String(cell.getValue() === null || cell.getValue() === undefined ? '' : cell.getValue());
    if (!row.dashboard) return document.createTextNode(text);
    var a = document.createElement('a');
    a.href = row.dashboard;
    a.textContent = text;
    return a;
  }

  function file(cell) {
    var row = cell.getRow().getData();
    var text = String(cell.getValue());
    if (!row.file) return document.createTextNode(text);
    // The name repeats the row's other columns; a short link (named in full in its title) keeps the
    // table within 1400 px, and search and the column's filter still read the full name.
    var a = document.createElement('a');
    a.href = row.file;
    a.textContent = 'FITS';
    a.title = text;
    return a;
  }

  var minFilter = function (headerValue, rowValue) {
    if (headerValue === '' || headerValue === null) return true;
    return rowValue !== null && rowValue >= Number(headerValue);
  };

  var columns = spec.columns.map(function (c) {
    var col = { title: c.title, field: c.field, headerSort: c.sortable !== false };
    if (c.kind === 'plot') {
      col.formatter = plot;
      col.headerSort = false;
    } else if (c.kind === 'file') {
      col.formatter = file;
      col.sorter = 'string';
      col.headerFilter = 'input';
      col.headerFilterPlaceholder = 'filter';
      // Long HLSP names are cut with an ellipsis (the full name is the link's title) so the page fits 1400 px.
    } else if (c.kind === 'number') {
      col.formatter = number;
      col.sorter = 'number';
      col.hozAlign = 'right';
      col.headerFilter = 'input';
      col.headerFilterPlaceholder = '≥';
      col.headerFilterFunc = minFilter;
    } else {
      col.sorter = 'string';
      col.headerFilter = 'input';
      col.headerFilterPlaceholder = 'filter';
      if (c.field === 'target') col.formatter = target;
    }
    // Titles with units wrap rather than widen their column.
    col.headerWordWrap = true;
    if (c.width) col.width = c.width;
    return col;
  });

  var table = new Tabulator('#hstlc-table-view', {
    data: spec.rows,
    columns: columns,
    layout: 'fitDataTable',
    placeholder: spec.empty,
    pagination: true,
    paginationSize: 50,
    initialSort: spec.initialSort ? [spec.initialSort] : [],
  });
  table.on('tableBuilt', function () {
    document.documentElement.setAttribute('data-table-ready', String(spec.rows.length));
  });

  var search = document.getElementById('hstlc-search');
  if (search) {
    search.addEventListener('input', function () {
      var q = search.value.toLowerCase();
      if (!q) { table.clearFilter(); return; }
      table.setFilter(function (data) {
        return spec.columns.some(function (c) {
          var v = data[c.field];
          return c.kind !== 'plot' && v !== null && v !== undefined && String(v).toLowerCase().indexOf(q) >= 0;
        });
      });
    });
  }
  window.hstlcTable = table;
})();
`;

export const SITE_CSS = `:root { color-scheme: light; }
body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 0; color: #222; background: #fafafa; }
header.site { background: #1d3557; color: #fff; padding: 0.6rem 1.2rem; }
header.site a { color: #fff; margin-right: 1rem; }
header.site h1 { font-size: 1.3rem; margin: 0.2rem 0 0.4rem; }
main { padding: 1rem 1.2rem; }
.chart { width: 100%; min-width: 600px; background: #fff; border: 1px solid #ddd; margin-bottom: 1rem; }
.note { color: #555; }
.empty { padding: 1rem; background: #fff3cd; border: 1px solid #e0c36c; }
dl.stats { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; }
dl.stats dt { font-weight: bold; }
table.plain { border-collapse: collapse; background: #fff; }
table.plain th, table.plain td { border: 1px solid #ccc; padding: 0.25rem 0.6rem; text-align: left; vertical-align: middle; }
table.plain td.num { text-align: right; }
ul.cards { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 1rem; }
ul.cards li { background: #fff; border: 1px solid #ddd; padding: 0.5rem; width: 320px; }
ul.cards img { width: 300px; height: auto; display: block; }
#hstlc-search { margin: 0 0 0.6rem; padding: 0.3rem; width: 20rem; }
.tabulator { font-size: 13px; }
/* Titles at the top, every filter box on one line at the bottom of the header, however the titles wrap. */
.tabulator .tabulator-header .tabulator-col .tabulator-col-content { padding: 4px; flex: 1; display: flex; flex-direction: column; }
.tabulator .tabulator-header .tabulator-col .tabulator-col-content .tabulator-header-filter { margin-top: auto; padding-top: 2px; }
/* The sort arrow follows the title's last word in the text flow (wrapping to the next line when the word
   fills the column) instead of floating over the title's right edge: the columns are narrow to fit 1400 px,
   and a floating arrow covered the end of "rank", "grating", "instrument". */
.tabulator .tabulator-header .tabulator-col .tabulator-col-content .tabulator-col-title { display: inline; padding-right: 0; }
.tabulator .tabulator-header .tabulator-col .tabulator-col-content .tabulator-col-title::after { content: "\\200B"; }
.tabulator .tabulator-header .tabulator-col .tabulator-col-content .tabulator-col-sorter { position: static; display: inline-flex; vertical-align: middle; margin-left: 4px; height: 1em; }
.tabulator-row .tabulator-cell { padding: 4px; }
.tabulator img { display: block; }
.tabulator img.thumbnail { cursor: zoom-in; }
#hstlc-table-view { max-width: 100%; }
.lightbox { position: fixed; inset: 0; background: rgba(0, 0, 0, 0.7); display: flex; align-items: center; justify-content: center; z-index: 1000; }
.lightbox[hidden] { display: none; }
.lightbox figure { background: #fff; padding: 0.8rem; margin: 0; max-width: 95vw; }
.lightbox img { display: block; max-width: 100%; height: auto; }
.lightbox figcaption { margin-top: 0.5rem; text-align: right; }
`;
