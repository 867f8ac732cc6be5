// mlv serve's web view: table sorting, filtering and columns, and uPlot charts drawn from the
// data-chart attributes the server renders (no inline scripts: the pages' CSP is default-src 'self').
(function () {
  'use strict';
  var COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b',
                '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#393b79', '#637939'];
  // Every chart drawn, by key, so tests and curious users can read back what is plotted.
  var charts = window.mlvCharts = {};

  function alpha(color, a) {
    var n = parseInt(color.slice(1), 16);
    return 'rgba(' + (n >> 16) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + a + ')';
  }

  function width(el) {
    return Math.max(280, Math.min(el.clientWidth || 480, 640));
  }

  function categoryAxis(names) {
    return {
      splits: function () { return names.map(function (_, i) { return i; }); },
      values: function (u, splits) { return splits.map(function (i) { return names[i] === undefined ? '' : names[i]; }); }
    };
  }

  // One bar per experiment, each its own series (a value at its own x, null elsewhere).
  function bars(el, d) {
    var n = d.names.length;
    var xs = d.names.map(function (_, i) { return i; });
    var data = [xs];
    var series = [{label: 'experiment', value: function (u, i) { return i === null ? '--' : d.names[i]; }}];
    var builder = uPlot.paths.bars({size: [0.7, 80]});
    d.names.forEach(function (name, i) {
      data.push(xs.map(function (x) { return x === i ? d.values[i] : null; }));
      var c = COLORS[i % COLORS.length];
      series.push({label: name, stroke: c, fill: alpha(c, 0.6), paths: builder, points: {show: false}});
    });
    var vals = d.values.filter(function (v) { return v !== null; });
    var lo = Math.min(0, Math.min.apply(null, vals));
    var hi = Math.max(0, Math.max.apply(null, vals));
    var u = new uPlot({
      width: width(el), height: 220, legend: {show: true},
      scales: {x: {time: false, range: [-0.5, n - 0.5]}, y: {range: [lo, hi === lo ? lo + 1 : hi + (hi - lo) * 0.08]}},
      axes: [categoryAxis(d.names), {}],
      series: series
    }, data, el);
    charts[d.key] = u;
  }

  // Means as points with their 95% intervals as whiskers, one x per arm.
  function intervals(el, d) {
    var xs = d.arms.map(function (_, i) { return i; });
    var all = d.low.concat(d.high, d.mean).filter(function (v) { return v !== null; });
    var lo = all.length ? Math.min.apply(null, all) : 0;
    var hi = all.length ? Math.max.apply(null, all) : 1;
    var pad = (hi - lo) * 0.15 || 0.1;
    var u = new uPlot({
      width: width(el), height: 240,
      scales: {x: {time: false, range: [-0.5, d.arms.length - 0.5]}, y: {range: [lo - pad, hi + pad]}},
      axes: [categoryAxis(d.arms), {}],
      series: [{label: 'arm', value: function (u, i) { return i === null ? '--' : d.arms[i]; }},
               {label: 'mean of ' + d.metric, stroke: COLORS[0], paths: function () { return null; },
                    points: {show: true, size: 10, fill: COLORS[0]}},
               {label: 'low', show: false}, {label: 'high', show: false}],
      hooks: {draw: [function (u) {
        var ctx = u.ctx;
        ctx.save();
        ctx.strokeStyle = COLORS[0];
        ctx.lineWidth = 2 * devicePixelRatio;
        xs.forEach(function (i) {
          if (d.low[i] === null || d.high[i] === null) { return; }
          var x = u.valToPos(i, 'x', true);
          var y1 = u.valToPos(d.low[i], 'y', true);
          var y2 = u.valToPos(d.high[i], 'y', true);
          var w = 10 * devicePixelRatio;
          ctx.beginPath();
          ctx.moveTo(x, y1); ctx.lineTo(x, y2);
          ctx.moveTo(x - w, y1); ctx.lineTo(x + w, y1);
          ctx.moveTo(x - w, y2); ctx.lineTo(x + w, y2);
          ctx.stroke();
        });
        ctx.restore();
      }]}
    }, [xs, d.mean, d.low, d.high], el);
    charts.intervals = u;
  }

  // Lines over a shared x (steps, or time in seconds), one series per experiment or file.
  function lines(el, d) {
    var series = [{label: d.x}];
    d.series.forEach(function (name, i) {
      var c = COLORS[i % COLORS.length];
      series.push({label: name, stroke: c, width: 2, spanGaps: true, points: {show: d.points === true}});
    });
    var opts = {width: width(el), height: 260, scales: {x: {time: d.time === true}}, series: series};
    if (d.marks && d.marks.length) {
      opts.hooks = {draw: [function (u) {
        var ctx = u.ctx;
        ctx.save();
        ctx.strokeStyle = '#d62728';
        ctx.setLineDash([4 * devicePixelRatio, 4 * devicePixelRatio]);
        d.marks.forEach(function (m) {
          var x = u.valToPos(m.x, 'x', true);
          ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
          ctx.fillStyle = '#d62728';
          ctx.fillText(m.label, x + 3, u.bbox.top + 12 * devicePixelRatio);
        });
        ctx.restore();
      }]};
    }
    charts[d.key] = new uPlot(opts, [d.xs].concat(d.ys), el);
  }

  function drawCharts() {
    var figures = document.querySelectorAll('[data-chart]');
    Array.prototype.forEach.call(figures, function (el) {
      var d = JSON.parse(el.getAttribute('data-chart'));
      if (el.classList.contains('bars')) { bars(el, d); }
      else if (el.classList.contains('intervals')) { intervals(el, d); }
      else if (el.classList.contains('lines')) { lines(el, d); }
    });
  }

  function experiments() {
    var table = document.getElementById('experiments');
    if (!table) { return; }
    var tbody = table.tBodies[0];
    var ths = table.tHead.rows[0].cells;
    var sortCol = -1;
    var asc = true;
    function value(row, i) {
      var v = row.cells[i].getAttribute('data-v');
      return v === null ? null : v;
    }
    function sortBy(i) {
      var th = ths[i];
      if (sortCol === i) { asc = !asc; } else { sortCol = i; asc = th.getAttribute('data-dir') !== 'max'; }
      var numeric = th.getAttribute('data-type') === 'num';
      var rows = Array.prototype.slice.call(tbody.rows);
      rows.sort(function (a, b) {
        var x = value(a, i), y = value(b, i);
        if (x === null || y === null) { return x === y ? 0 : x === null ? 1 : -1; }
        if (numeric) {
          var fx = parseFloat(x), fy = parseFloat(y);
          if (!isNaN(fx) && !isNaN(fy)) { return asc ? fx - fy : fy - fx; }
          if (isNaN(fx) !== isNaN(fy)) { return isNaN(fx) ? 1 : -1; }
        }
        return asc ? x.localeCompare(y) : y.localeCompare(x);
      });
      var frag = document.createDocumentFragment();
      rows.forEach(function (r) { frag.appendChild(r); });
      tbody.appendChild(frag);
      Array.prototype.forEach.call(ths, function (t) { t.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
    }
    Array.prototype.forEach.call(ths, function (th, i) {
      if (!th.getAttribute('data-type')) { return; }
      th.classList.add('sortable');
      th.addEventListener('click', function () { sortBy(i); });
    });

    var quick = document.getElementById('quick');
    var count = document.getElementById('count');
    quick.addEventListener('input', function () {
      var q = quick.value.toLowerCase();
      var shown = 0;
      Array.prototype.forEach.call(tbody.rows, function (r) {
        var hide = q !== '' && r.getAttribute('data-branch').toLowerCase().indexOf(q) < 0;
        r.hidden = hide;
        if (!hide) { shown++; }
      });
      count.textContent = shown + ' of ' + tbody.rows.length + ' branches';
    });

    // Columns: hidden ones remembered by header text in this browser.
    var hidden = [];
    try { hidden = JSON.parse(localStorage.getItem('mlv.hiddenColumns') || '[]'); } catch (e) { hidden = []; }
    function show(col, visible) {
      ths[col].hidden = !visible;
      Array.prototype.forEach.call(tbody.rows, function (r) { r.cells[col].hidden = !visible; });
    }
    Array.prototype.forEach.call(document.querySelectorAll('details.columns input[data-col]'), function (box) {
      var col = parseInt(box.getAttribute('data-col'), 10);
      var name = ths[col].textContent;
      if (hidden.indexOf(name) >= 0) { box.checked = false; show(col, false); }
      box.addEventListener('change', function () {
        show(col, box.checked);
        hidden = hidden.filter(function (h) { return h !== name; });
        if (!box.checked) { hidden.push(name); }
        try { localStorage.setItem('mlv.hiddenColumns', JSON.stringify(hidden)); } catch (e) { /* private mode: not remembered */ }
      });
    });
  }

  function compare() {
    var only = document.getElementById('only-changed');
    var params = document.getElementById('params');
    if (only && params) {
      only.addEventListener('change', function () { params.classList.toggle('only-changed', only.checked); });
    }
  }

  var page = document.body.getAttribute('data-page');
  if (page === 'experiments') { experiments(); }
  if (page === 'compare') { compare(); }
  drawCharts();
})();
