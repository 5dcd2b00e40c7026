// gwf report: draws the charts of the page from the JSON in #gwf-data with
// the embedded Apache ECharts. Each chart names a renderer ("kind") that
// turns its spec into an ECharts option; add a renderer here only for a new
// kind of chart. When every chart has drawn, <body data-rendered="ok"> is
// set (the browser test waits for it). The web app loads this file too and
// draws a run's charts from its JSON with window.gwfReport.draw.
(function () {
  'use strict';

  var WEEK = 7 * 24 * 3600 * 1000;
  var INK = '#1d2430', MUTED = '#5f6b7a', AXIS = '#b8c0ca', GRID = '#edf0f3';
  var data, t0, FONT;

  function tx(w) { return t0 + w * WEEK; }
  function weekOf(ms) { return Math.round((ms - t0) / WEEK); }
  function day(ms) { return isFinite(ms) ? new Date(+ms).toISOString().slice(0, 10) : ''; }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  // num prints a figure for a tooltip: thousands separators, three
  // significant digits for small numbers.
  function num(v) {
    if (v === null || v === undefined || isNaN(v)) return '–';
    var a = Math.abs(v);
    var d = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
    return v.toLocaleString('en-US', { maximumFractionDigits: d });
  }
  // short prints an axis label: 12k, 3.4M, 1.2B.
  function short(v) {
    var a = Math.abs(v);
    function t(x) { return String(+x.toFixed(2)); }
    if (a >= 1e9) return t(v / 1e9) + 'B';
    if (a >= 1e6) return t(v / 1e6) + 'M';
    if (a >= 1e4) return t(v / 1e3) + 'k';
    return t(v);
  }
  // withUnit prints a figure with its unit: $4.2B, 37%, 1,250 MW/week.
  function withUnit(v, unit) {
    if (unit.charAt(0) === '$') return '$' + num(v) + esc(unit.slice(1));
    if (unit === '%') return num(v) + '%';
    return num(v) + (unit ? ' ' + esc(unit) : '');
  }
  function marker(color) {
    return '<span style="display:inline-block;width:9px;height:9px;border-radius:2px;margin-right:6px;background:' + esc(color) + '"></span>';
  }
  function within(params) {
    return { x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height };
  }
  function timeAxis(grid, showLabels) {
    return {
      type: 'time', gridIndex: grid, min: tx(0), max: tx(data.weeks), containShape: false,
      axisLine: { lineStyle: { color: AXIS } },
      axisTick: { show: showLabels, lineStyle: { color: AXIS } },
      axisLabel: { show: showLabels, color: MUTED, hideOverlap: true },
      splitLine: { show: true, lineStyle: { color: GRID } },
      axisPointer: { label: { show: showLabels, formatter: function (p) { return day(p.value); } } }
    };
  }
  function valueAxis(a, grid, right) {
    return {
      type: 'value', gridIndex: grid, position: right ? 'right' : 'left',
      name: a.name, nameLocation: 'end', nameGap: 10,
      nameTextStyle: { color: MUTED, fontSize: 12, align: right ? 'right' : 'left' },
      max: a.max, min: 0,
      axisLabel: { color: MUTED, formatter: short },
      axisLine: { show: false }, axisTick: { show: false },
      splitLine: { show: !right, lineStyle: { color: GRID } }
    };
  }

  // timeseries: panels stacked on a shared week axis, optionally with a
  // band (one colour per week) on top.
  function timeseries(c, el) {
    var s = c.spec;
    var H = el.clientHeight;
    var hasY2 = s.panels.some(function (p) { return !!p.y2; });
    // Margins are fixed and ECharts' outer-bounds adjustment is off, so
    // linked grids line up week for week; labels are kept short to fit.
    var left = s.band ? 92 : 58, right = hasY2 ? 64 : 22;
    var top = 44, bottom = s.zoom ? 64 : 30, gap = 48, bandH = s.band ? 24 : 0;
    var grids = [], xAxes = [], yAxes = [], series = [], units = {}, legend = [], hidden = {};
    var y = top;
    var band = s.band;
    if (band) {
      grids.push({ left: left, right: right, top: y, height: bandH, outerBoundsMode: 'none' });
      xAxes.push(Object.assign(timeAxis(0, false), { splitLine: { show: false }, axisLine: { show: false } }));
      yAxes.push({ type: 'category', gridIndex: 0, data: [band.name], axisLine: { show: false }, axisTick: { show: false },
        axisLabel: { color: INK, fontWeight: 600, fontSize: 12 } });
      series.push({
        type: 'custom', name: band.name, xAxisIndex: 0, yAxisIndex: 0, tooltip: { show: false },
        data: band.weeks.map(function (k, i) { return [tx(i), 0, k, band.value[i]]; }),
        encode: { x: 0, y: 1 },
        renderItem: function (params, api) {
          var k = api.value(2);
          var p0 = api.coord([api.value(0), 0]), p1 = api.coord([api.value(0) + WEEK, 0]);
          var h = api.size([0, 1])[1];
          var shape = echarts.graphic.clipRectByRect({ x: p0[0], y: p0[1] - h / 2, width: p1[0] - p0[0] + 0.6, height: h }, within(params));
          return shape && { type: 'rect', shape: shape, style: { fill: k >= 0 ? band.cats[k].color : band.none.color } };
        }
      });
      y += bandH + gap;
    } else {
      y += 4;
    }
    var weights = s.panels.reduce(function (a, p) { return a + p.weight; }, 0);
    var avail = Math.max(60, H - y - bottom - gap * (s.panels.length - 1));
    s.panels.forEach(function (p, i) {
      var g = grids.length;
      var h = avail * p.weight / weights;
      var last = i === s.panels.length - 1;
      grids.push({ left: left, right: right, top: y, height: h, outerBoundsMode: 'none' });
      xAxes.push(timeAxis(g, last));
      var yi = yAxes.length;
      yAxes.push(valueAxis(p.y, g, false));
      var yi2 = yi;
      if (p.y2) { yi2 = yAxes.length; yAxes.push(valueAxis(p.y2, g, true)); }
      p.series.forEach(function (se) {
        var out = {
          name: se.name, xAxisIndex: g, yAxisIndex: se.axis === 1 ? yi2 : yi, color: se.color,
          data: se.values.map(function (v, k) { return [tx(se.weeks ? se.weeks[k] : k), v]; })
        };
        if (se.type === 'bar') {
          Object.assign(out, { type: 'bar', barMaxWidth: se.weeks ? 12 : 6, barMinWidth: 1, barGap: '15%' });
        } else {
          Object.assign(out, {
            type: 'line', showSymbol: !!se.points, symbol: se.points ? 'circle' : 'none', symbolSize: 8, step: se.step ? 'end' : false,
            lineStyle: { width: se.stack ? 0 : (se.width || 1.4), type: se.dash ? 'dashed' : 'solid' },
            emphasis: { disabled: true }
          });
          if (se.stack) out.stack = se.stack;
          if (se.type === 'area') out.areaStyle = { opacity: se.stack ? 0.85 : 0.16 };
        }
        units[series.length] = (se.axis === 1 ? p.y2 : p.y).unit;
        series.push(out);
        if (legend.indexOf(se.name) < 0) legend.push(se.name);
        if (se.hidden) hidden[se.name] = false;
      });
      y += h + gap;
    });
    if (s.marks && s.marks.length && series.length > (band ? 1 : 0)) {
      var first = series[band ? 1 : 0];
      first.markLine = {
        silent: true, symbol: 'none', animation: false,
        lineStyle: { color: '#7d8896', type: 'dotted', width: 1 },
        label: { position: 'insideEndTop', color: MUTED, fontSize: 11 },
        data: s.marks.map(function (m) { return { xAxis: tx(m.week), label: { formatter: m.label } }; })
      };
    }
    var xs = xAxes.map(function (_, i) { return i; });
    var option = {
      grid: grids, xAxis: xAxes, yAxis: yAxes, series: series,
      legend: { type: 'scroll', top: 0, left: left - 8, right: right, data: legend, selected: hidden,
        icon: 'roundRect', itemWidth: 14, itemHeight: 8, textStyle: { color: INK, fontSize: 12 } },
      axisPointer: { link: [{ xAxisIndex: 'all' }] },
      tooltip: {
        trigger: 'axis', confine: true, className: 'gwf-tooltip', axisPointer: { type: 'line', lineStyle: { color: '#9aa5b1' } },
        formatter: function (ps) {
          if (!ps.length) return '';
          var ms = +ps[0].axisValue;
          if (!isFinite(ms) && Array.isArray(ps[0].value)) ms = +ps[0].value[0];
          var w = weekOf(ms);
          var out = ['<b>Week ' + w + '</b> · ' + day(ms)];
          if (band && w >= 0 && w < band.weeks.length) {
            var k = band.weeks[w];
            var cat = k >= 0 ? band.cats[k] : band.none;
            out.push(marker(cat.color) + esc(band.name) + ': <b>' + esc(cat.name) + '</b>' +
              (cat.layer ? ' (' + esc(cat.layer) + ')' : '') + (k >= 0 ? ', ' + num(band.value[w]) + ' ' + esc(band.unit) : ''));
          }
          var rows = ps.filter(function (p) { return !(band && p.seriesIndex === 0); });
          rows.sort(function (a, b) { return a.seriesIndex - b.seriesIndex; });
          // Many series (the MW each line held back): list only those not zero.
          var busy = rows.length > 6;
          rows.forEach(function (p) {
            if (busy && !p.value[1]) return;
            out.push(marker(p.color) + esc(p.seriesName) + ': <b>' + withUnit(p.value[1], units[p.seriesIndex] || '') + '</b>');
          });
          return out.join('<br>');
        }
      }
    };
    if (s.zoom) {
      option.dataZoom = [{ type: 'slider', xAxisIndex: xs, bottom: 8, height: 18, showDetail: true, brushSelect: false,
        labelFormatter: function (v) { return day(v); }, textStyle: { color: MUTED, fontSize: 11 } }];
    }
    return option;
  }

  // gantt: one row per project; a bar per stage, the wait before it, and a
  // thin line from the project's start to online.
  function gantt(c, el) {
    var g = c.spec, rows = g.rows, end = data.weeks;
    function bars(name, color, frac, items) {
      return {
        type: 'custom', name: name, color: color, data: items, encode: { x: [1, 2], y: 0 },
        renderItem: function (params, api) {
          var p0 = api.coord([api.value(1), api.value(0)]), p1 = api.coord([api.value(2), api.value(0)]);
          var h = Math.max(1, api.size([0, 1])[1] * frac);
          var shape = echarts.graphic.clipRectByRect({ x: p0[0], y: p0[1] - h / 2, width: Math.max(1, p1[0] - p0[0]), height: h }, within(params));
          return shape && { type: 'rect', shape: shape, style: { fill: color, opacity: api.value(3) ? 1 : 0.45 } };
        }
      };
    }
    var life = [], waits = [], stages = g.stages.map(function () { return []; });
    rows.forEach(function (r, i) {
      life.push([i, tx(r.start), tx(r.online >= 0 ? r.online : end), 1, -1]);
      r.stages.forEach(function (st) {
        var k = st[0], ready = st[1], start = st[2], fin = st[3];
        if (ready >= 0 && (start < 0 || start > ready)) {
          waits.push([i, tx(ready), tx(start >= 0 ? start : end), 1, k]);
        }
        if (start >= 0) stages[k].push([i, tx(start), tx(fin >= 0 ? fin : end), fin >= 0 ? 1 : 0, k]);
      });
    });
    var series = [bars('Start to online', g.life, 0.14, life), bars('Waiting', g.wait, 0.62, waits)];
    g.stages.forEach(function (st, k) { series.push(bars(st.name, st.color, 0.62, stages[k])); });
    function stageOf(r, k) {
      for (var j = 0; j < r.stages.length; j++) if (r.stages[j][0] === k) return r.stages[j];
      return null;
    }
    return {
      grid: { left: 64, right: 46, top: 44, bottom: 64, outerBoundsMode: 'none' },
      legend: { type: 'scroll', top: 0, left: 56, icon: 'roundRect', itemWidth: 14, itemHeight: 8, textStyle: { color: INK, fontSize: 12 } },
      xAxis: timeAxis(0, true),
      yAxis: { type: 'category', inverse: true, data: rows.map(function (r) { return '#' + r.id; }),
        name: 'project', nameLocation: 'start', nameGap: 8, nameTextStyle: { color: MUTED, fontSize: 12, align: 'right' },
        axisLabel: { color: MUTED, fontSize: 10 }, axisTick: { show: false }, axisLine: { lineStyle: { color: AXIS } } },
      dataZoom: [
        { type: 'slider', xAxisIndex: 0, bottom: 8, height: 18, brushSelect: false, labelFormatter: function (v) { return day(v); }, textStyle: { color: MUTED, fontSize: 11 } },
        { type: 'slider', yAxisIndex: 0, right: 8, width: 14, brushSelect: false, showDetail: false }
      ],
      tooltip: {
        trigger: 'item', confine: true, className: 'gwf-tooltip',
        formatter: function (p) {
          var r = rows[p.value[0]];
          var head = '<b>Project #' + r.id + '</b> · ' + num(r.mw) + ' MW · ' + esc(r.gen) + '<br>';
          var a = weekOf(p.value[1]), b = weekOf(p.value[2]);
          if (p.seriesIndex === 0) {
            return head + 'started ' + day(p.value[1]) + ' (week ' + a + '), ' +
              (r.online >= 0 ? 'online ' + day(p.value[2]) + ' (week ' + b + '): ' + (b - a) + ' weeks' : 'not online within the horizon');
          }
          var st = stageOf(r, p.value[4]);
          var name = g.stages[p.value[4]].name;
          if (p.seriesIndex === 1) {
            return head + esc(name) + ' was ready ' + day(p.value[1]) + ' and waited ' + (b - a) + ' weeks' +
              (st && st[4] >= 0 ? ', last on <b>' + esc(g.lines[st[4]]) + '</b>' : '');
          }
          return head + '<b>' + esc(name) + '</b>: ' + day(p.value[1]) + ' → ' +
            (p.value[3] ? day(p.value[2]) + ' (' + (b - a) + ' weeks)' : 'not finished within the horizon');
        }
      },
      series: series
    };
  }

  // tornado: one row per input, bars from zero to the change with the input
  // at its P10 and at its P90, overlapping on the row.
  function tornado(c) {
    var sp = c.spec;
    var names = sp.rows.map(function (r) { return r.name; });
    function bars(key, text, name, color) {
      return { type: 'bar', name: name, color: color, barGap: '-100%', barMaxWidth: 16,
        data: sp.rows.map(function (r) { return { value: r[key], text: r[text] }; }) };
    }
    return {
      grid: { left: 300, right: 40, top: 36, bottom: 40 },
      legend: { top: 0, left: 300, data: ['Input at P10', 'Input at P90'], textStyle: { color: INK, fontSize: 12 } },
      xAxis: { type: 'value', name: sp.measure, nameLocation: 'middle', nameGap: 26,
        axisLabel: { color: MUTED }, splitLine: { lineStyle: { color: '#eef0f3' } } },
      yAxis: { type: 'category', inverse: true, data: names, axisLabel: { color: INK, fontSize: 11 } },
      tooltip: { trigger: 'item', confine: true, className: 'gwf-tooltip',
        formatter: function (p) {
          var r = sp.rows[p.dataIndex];
          function line(text, v) {
            return esc(text) + ': ' + (v > 0 ? '+' : '') + v.toLocaleString('en-US', { maximumSignificantDigits: 4 }) + ' ' + esc(sp.unit);
          }
          return '<b>' + esc(r.name) + '</b><br>' + line(r.lowText, r.low) + '<br>' + line(r.highText, r.high);
        } },
      series: [bars('low', 'lowText', 'Input at P10', sp.low), bars('high', 'highText', 'Input at P90', sp.high)]
    };
  }

  var renderers = { timeseries: timeseries, gantt: gantt, tornado: tornado };
  var charts = [];

  // draw draws d's charts, each into the element with its id, replacing
  // any drawn before. Charts on screen are drawn at once and onVisible is
  // called; the rest are drawn one per task after, so the page answers
  // meanwhile, and then onDone is called. A later draw stops an earlier one.
  var generation = 0;
  function draw(d, onDone, onVisible) {
    charts.forEach(function (ch) { ch.dispose(); });
    charts = [];
    var gen = ++generation;
    data = d;
    t0 = Date.parse(data.start + 'T00:00:00Z');
    FONT = window.getComputedStyle(document.body).fontFamily;
    var common = { animation: false, useUTC: true, textStyle: { fontFamily: FONT } };
    function one(c) {
      var el = document.getElementById(c.id);
      if (!el) {
        console.error('gwf report: no element for chart ' + c.id);
        return;
      }
      try {
        var render = renderers[c.kind];
        if (!render) throw new Error('unknown kind of chart "' + c.kind + '"');
        var chart = echarts.init(el, null, { renderer: 'canvas' });
        chart.setOption(Object.assign(render(c, el), common));
        charts.push(chart);
      } catch (e) {
        el.setAttribute('data-error', String((e && e.message) || e));
        el.textContent = '';
        var p = document.createElement('p');
        p.className = 'chart-error';
        p.textContent = 'This chart could not be drawn: ' + el.getAttribute('data-error');
        el.appendChild(p);
        console.error('gwf report: chart ' + c.id + ':', e);
      }
    }
    function onScreen(c) {
      var el = document.getElementById(c.id);
      if (!el) return false;
      var r = el.getBoundingClientRect();
      return r.bottom > 0 && r.top < window.innerHeight;
    }
    var later = [];
    data.charts.forEach(function (c) {
      if (onScreen(c)) one(c); else later.push(c);
    });
    if (onVisible) onVisible();
    (function next() {
      if (gen !== generation) return;
      if (later.length === 0) {
        if (onDone) onDone();
        return;
      }
      one(later.shift());
      setTimeout(next, 0);
    })();
  }
  window.gwfReport = { draw: draw };

  var queued = false;
  window.addEventListener('resize', function () {
    if (queued) return;
    queued = true;
    window.requestAnimationFrame(function () {
      queued = false;
      charts.forEach(function (ch) { ch.resize(); });
    });
  });

  var own = document.getElementById('gwf-data');
  if (own) {
    draw(JSON.parse(own.textContent), function () { document.body.setAttribute('data-rendered', 'ok'); });
  }

  var filter = document.getElementById('scenario-filter');
  if (filter) {
    var rowsOf = document.querySelectorAll('table.scenario tbody tr');
    filter.addEventListener('input', function () {
      var q = filter.value.trim().toLowerCase();
      rowsOf.forEach(function (tr) {
        tr.style.display = !q || tr.textContent.toLowerCase().indexOf(q) >= 0 ? '' : 'none';
      });
    });
  }
})();
