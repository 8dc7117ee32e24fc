// The collector's dashboard: polls the admin APIs and draws SVG charts. Every string that came
// from an event is set as text, never as HTML.

const SVG = 'http://www.w3.org/2000/svg';
const MINUTE = 60_000;
const DAY = 86_400_000;
const RATING_COLORS = { good: '#0a8754', 'needs-improvement': '#c27c00', poor: '#c62828' };
const VITALS = {
  LCP: { good: 2500, poor: 4000, unit: 'ms' },
  INP: { good: 200, poor: 500, unit: 'ms' },
  CLS: { good: 0.1, poor: 0.25, unit: '' },
  FCP: { good: 1800, poor: 3000, unit: 'ms' },
  TTFB: { good: 800, poor: 1800, unit: 'ms' },
};

// The admin token: from `#token=…` once, then kept for this tab.
const hashToken = new URLSearchParams(location.hash.slice(1)).get('token');
if (hashToken) {
  sessionStorage.setItem('telemetry-admin-token', hashToken);
  history.replaceState(null, '', location.pathname);
}
let token = sessionStorage.getItem('telemetry-admin-token') ?? '';

const $ = (id) => document.getElementById(id);

function el(tag, attributes = {}, text) {
  const node = tag.startsWith('svg:') ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

function empty(target, message) {
  target.replaceChildren(el('p', { class: 'empty' }, message));
}

class Unauthorized extends Error {}

async function api(path) {
  const response = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (response.status === 401) throw new Unauthorized('admin token required');
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return path.includes('format=csv') ? response.text() : response.json();
}

const usd = (n) => (n >= 100 ? `$${n.toFixed(0)}` : n >= 1 ? `$${n.toFixed(2)}` : `$${n.toFixed(4)}`);
const compact = (n) => (n >= 1000 ? `${(n / 1000).toFixed(1)}k` : `${Math.round(n * 100) / 100}`);
const clock = (ms) => new Date(ms).toISOString().slice(11, 16);

/** Vertical bars with a baseline, a max label and sparse x labels; `line` adds a dashed level. */
/** The drawing width: the container's, so that text keeps its size. */
const widthOf = (target) => Math.max(300, Math.round(target.clientWidth || 520));

function bars(target, points, { format = compact, color = '#1f6feb', label = (p) => p.label, line } = {}) {
  const width = widthOf(target);
  const height = 180;
  const pad = { left: 44, bottom: 20, top: 10 };
  const max = Math.max(1e-9, line?.value ?? 0, ...points.map((p) => p.value ?? 0));
  const svg = el('svg:svg', { viewBox: `0 0 ${width} ${height}`, role: 'img' });
  const plotH = height - pad.bottom - pad.top;
  const step = (width - pad.left) / Math.max(1, points.length);
  svg.append(el('svg:line', { x1: pad.left, x2: width, y1: height - pad.bottom, y2: height - pad.bottom, stroke: '#c9d1dc' }));
  svg.append(el('svg:text', { x: pad.left - 6, y: pad.top + 8, 'text-anchor': 'end' }, format(max)));
  svg.append(el('svg:text', { x: pad.left - 6, y: height - pad.bottom, 'text-anchor': 'end' }, format(0)));
  const every = Math.ceil(points.length / Math.max(2, Math.floor(width / 90)));
  points.forEach((point, i) => {
    const h = ((point.value ?? 0) / max) * plotH;
    const bar = el('svg:rect', {
      x: pad.left + i * step + step * 0.12, y: height - pad.bottom - h, width: Math.max(1, step * 0.76), height: h,
      fill: typeof color === 'function' ? color(point) : color, rx: 2,
    });
    bar.append(el('svg:title', {}, `${label(point)}: ${format(point.value ?? 0)}`));
    svg.append(bar);
    if (i % every === 0) svg.append(el('svg:text', { x: pad.left + i * step + step / 2, y: height - 5, 'text-anchor': 'middle' }, label(point)));
  });
  if (line) {
    const y = height - pad.bottom - (line.value / max) * plotH;
    svg.append(el('svg:line', { x1: pad.left, x2: width, y1: y, y2: y, stroke: '#c62828', 'stroke-dasharray': '5 4' }));
    svg.append(el('svg:text', { x: width - 4, y: y - 4, 'text-anchor': 'end', fill: '#c62828' }, line.label));
  }
  target.replaceChildren(svg);
}

/** Horizontal bars, one row per item, with the value at the end. */
function rows(target, items, { format = compact, open } = {}) {
  if (items.length === 0) return empty(target, 'nothing yet');
  const width = widthOf(target);
  const rowH = 26;
  const labelW = Math.min(190, width * 0.4);
  const max = Math.max(1e-9, ...items.map((i) => i.value));
  const svg = el('svg:svg', { viewBox: `0 0 ${width} ${items.length * rowH + 4}`, role: 'img' });
  items.forEach((item, i) => {
    const y = i * rowH + 4;
    const fits = Math.floor(labelW / 6.5);
    const name = item.label.length > fits ? `${item.label.slice(0, fits - 1)}…` : item.label;
    const w = Math.max(2, (item.value / max) * (width - labelW - 70));
    const bar = el('svg:rect', { x: labelW, y: y + 3, width: w, height: rowH - 10, fill: item.color ?? '#1f6feb', rx: 3 });
    bar.append(el('svg:title', {}, `${item.label}: ${format(item.value)}${item.note ? ` (${item.note})` : ''}`));
    const row = el('svg:g', open ? { class: 'row', role: 'button', tabindex: 0, 'data-key': item.key } : {});
    row.append(el('svg:text', { x: 0, y: y + 15 }, name), bar, el('svg:text', { x: labelW + w + 6, y: y + 15 }, format(item.value)));
    if (open) {
      row.addEventListener('click', () => open(item));
      row.addEventListener('keydown', (event) => event.key === 'Enter' && open(item));
    }
    svg.append(row);
  });
  target.replaceChildren(svg);
}

/** Each vital on a track coloured good / needs improvement / poor, with a marker at its p75. */
function vitals(target, values) {
  const names = Object.keys(VITALS).filter((name) => values[name]);
  if (names.length === 0) return empty(target, 'no Web Vitals reported yet');
  const width = widthOf(target);
  const rowH = 34;
  const left = 60;
  const svg = el('svg:svg', { viewBox: `0 0 ${width} ${names.length * rowH + 4}`, role: 'img' });
  names.forEach((name, i) => {
    const { good, poor, unit } = VITALS[name];
    const { p75, rating, count } = values[name];
    const scale = Math.max(poor * 1.5, p75 * 1.05);
    const x = (v) => left + (v / scale) * (width - left - 90);
    const y = i * rowH + 6;
    svg.append(el('svg:text', { x: 0, y: y + 13 }, name));
    for (const [from, to, key] of [[0, good, 'good'], [good, poor, 'needs-improvement'], [poor, scale, 'poor']]) {
      svg.append(el('svg:rect', { x: x(from), y: y + 4, width: x(to) - x(from), height: 10, fill: RATING_COLORS[key], opacity: 0.25 }));
    }
    const marker = el('svg:rect', { x: x(p75) - 2, y, width: 4, height: 18, fill: RATING_COLORS[rating] ?? '#5b6579' });
    marker.append(el('svg:title', {}, `${name} p75 ${p75} (${rating}, ${count} samples)`));
    svg.append(marker);
    const shown = unit === 'ms' ? `${Math.round(p75)} ms` : p75.toFixed(3);
    svg.append(el('svg:text', { x: width - 84, y: y + 13, fill: RATING_COLORS[rating] }, shown));
  });
  target.replaceChildren(svg);
}

function tiles(current) {
  const items = [
    ['events / min', compact(current.eventsPerMinute)],
    ['LLM requests / min', compact(current.requestRate)],
    ['LLM error rate (1 h)', `${(current.errorRate * 100).toFixed(1)} %`],
    ['errors (1 h)', current.errors],
    ['LLM cost today', usd(current.llm.costToday)],
    ['LLM tokens today', compact(current.llm.tokensToday)],
  ];
  $('tiles').replaceChildren(...items.map(([name, value]) => {
    const tile = el('div', { class: 'tile' });
    tile.append(el('b', {}, value), el('span', {}, name));
    return tile;
  }));
}

function health(current) {
  const { system, services } = current.health;
  const pill = $('system');
  pill.textContent = system ?? 'unknown';
  pill.className = `pill ${system ?? ''}`;
  const names = Object.keys(services);
  if (names.length === 0) return empty($('health'), 'no health checks reported yet');
  $('health').replaceChildren(...names.map((name) => {
    const line = el('p');
    line.append(el('span', { class: `pill ${services[name]}` }, services[name]), document.createTextNode(` ${name}`));
    return line;
  }));
}

/** The latest budget limit the SDK reported for `budget` (`daily` or `monthly`), if any. */
function budgetLimit(alerts, budget) {
  const found = alerts.find((a) => a.type === 'llm.budget_alert' && a.alert?.budget === budget);
  return typeof found?.alert?.limit === 'number' ? found.alert.limit : undefined;
}

function costByDay(days, alerts) {
  const target = $('cost-day');
  if (!days.some((d) => d.requests > 0)) return empty(target, 'no LLM calls yet');
  const recent = days.slice(-30);
  const daily = budgetLimit(alerts, 'daily');
  const wrapper = el('div');
  const dayChart = el('div');
  bars(dayChart, recent.map((d) => ({ label: d.key.slice(5), value: d.cost })), {
    format: usd,
    color: (p) => (daily !== undefined && p.value > daily ? '#c62828' : '#1f6feb'),
    line: daily !== undefined ? { value: daily, label: `daily budget ${usd(daily)}` } : undefined,
  });
  // Budget burn: spend accumulated over this month's days against the monthly budget.
  const month = new Date().toISOString().slice(0, 7);
  let total = 0;
  const burn = days.filter((d) => d.key.startsWith(month)).map((d) => ({ label: d.key.slice(8), value: (total += d.cost) }));
  const monthly = budgetLimit(alerts, 'monthly');
  const burnChart = el('div');
  bars(burnChart, burn, {
    format: usd,
    color: (p) => (monthly !== undefined && p.value > monthly ? '#c62828' : '#7a5af8'),
    line: monthly !== undefined ? { value: monthly, label: `monthly budget ${usd(monthly)}` } : undefined,
  });
  wrapper.append(dayChart, el('p', { class: 'empty' }, `Spent this month: ${usd(total)}${monthly ? ` of ${usd(monthly)}` : ''}`), burnChart);
  target.replaceChildren(wrapper);
}

function stream(events) {
  const list = $('stream');
  if (events.length === 0) return list.replaceChildren(el('li', { class: 'empty' }, 'waiting for events…'));
  list.replaceChildren(...events.slice().reverse().map((event) => {
    const item = el('li');
    const summary = JSON.stringify(event.data ?? {});
    item.append(el('span', { class: 'type' }, event.type), document.createTextNode(` ${clock(event.timestamp)} ${summary.slice(0, 160)}`));
    return item;
  }));
}

async function refreshMetrics() {
  const now = Date.now();
  const start = Math.floor(now / MINUTE) * MINUTE - 59 * MINUTE;
  const [current, history, groups, models, days, alerts] = await Promise.all([
    api('/api/metrics/current'),
    api(`/api/metrics/historical?type=events&aggregation=minute&start=${start}&end=${start + 60 * MINUTE}`),
    api('/api/errors/groups?limit=8'),
    api('/api/llm/costs?groupBy=model'),
    api(`/api/llm/costs?groupBy=day&start=${now - 30 * DAY}`),
    api('/api/metrics/alerts?limit=200'),
  ]);
  tiles(current);
  health(current);
  bars($('events-chart'), history.buckets.map((b) => ({ label: clock(b.start), value: b.value })));
  vitals($('vitals'), current.vitals);
  rows($('errors'), groups.groups.map((g) => ({
    key: g.fingerprint, label: `${g.name}: ${g.message}`, value: g.count, note: `${g.sessions} sessions`,
    color: g.severity === 'critical' || g.severity === 'error' ? '#c62828' : '#c27c00',
  })), { open: (item) => tick(() => errorDetail(item.key)) });
  // Costs are the collector's own figures; calls a client priced differently (a stale or other
  // price table) are flagged.
  rows($('cost-model'), models.rows.map((r) => ({
    label: r.key, value: r.cost,
    note: r.costMismatches ? `${r.requests} calls, ${r.costMismatches} priced differently by the client: ${usd(r.clientCost)}` : `${r.requests} calls`,
    color: r.costMismatches ? '#c27c00' : undefined,
  })), { format: usd });
  $('cost-mismatch').textContent = models.costMismatches
    ? `${models.costMismatches} calls were priced differently by the client's table (stale?); the costs shown are the collector's.`
    : '';
  costByDay(days.rows, alerts.alerts);
}

const when = (ms) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

/** One frame: where it ran originally (file, line, function, source lines) when a source map
 * resolved it, and where it ran in the minified script. */
function frameView(frame) {
  const item = el('li', { class: frame.original ? 'frame resolved' : 'frame' });
  const original = frame.original;
  const at = (f) => `${f.file}${f.line ? `:${f.line}${f.column ? `:${f.column}` : ''}` : ''}`;
  item.append(el('b', {}, original?.function ?? frame.function ?? '?'), ' ', el('span', { class: 'place' }, at(original ?? frame)));
  if (original?.context) {
    const { pre, line, post } = original.context;
    const source = el('pre', { class: 'context' });
    const first = original.line - pre.length;
    [...pre, line, ...post].forEach((text, i) => {
      source.append(el('span', { class: first + i === original.line ? 'current' : '' }, `${String(first + i).padStart(5)}  ${text}`));
    });
    item.append(source);
  }
  if (original) item.append(el('div', { class: 'minified' }, `minified: ${frame.function ?? '?'} at ${at(frame)}`));
  return item;
}

/** The detail of one error group: counts, releases, the newest error's stack and breadcrumbs. */
async function errorDetail(key) {
  const group = await api(`/api/errors/groups/${encodeURIComponent(key)}`);
  const section = $('error-detail');
  section.hidden = false;
  $('error-title').textContent = `${group.name}: ${group.message}`;
  $('error-summary').textContent = `${group.count} errors · first seen ${when(group.firstSeen)} · last seen ${when(group.lastSeen)} · releases: ${group.releases.join(', ') || 'none'}`;
  const frames = group.latest.frames ?? [];
  $('error-stack').replaceChildren(...(frames.length ? frames.map(frameView) : [el('li', { class: 'empty' }, 'no stack')]));
  const traceId = group.latest.traceId;
  const link = $('error-trace-link');
  link.hidden = !traceId;
  link.textContent = traceId ? `Trace ${traceId}` : '';
  link.onclick = (event) => {
    event.preventDefault();
    traceView(traceId, group.latest.id).catch((error) => {
      $('trace-waterfall').replaceChildren(el('p', { class: 'empty' }, `trace not available: ${error.message}`));
    });
  };
  $('trace').hidden = true;
  const crumbs = group.latest.breadcrumbs ?? [];
  $('error-breadcrumbs').replaceChildren(...(crumbs.length
    ? crumbs.map((c) => el('li', {}, `${c.timestamp ? clock(c.timestamp) : ''} ${c.category ?? ''} ${c.message ?? ''}`.trim()))
    : [el('li', { class: 'empty' }, 'no breadcrumbs')]));
  section.scrollIntoView({ block: 'start' });
}

/** A trace as a waterfall: one row per span, indented under its parent, its bar placed by its
 * start and length; the events that happened in it (the error `marked` among them) as ticks. */
async function traceView(traceId, marked) {
  const trace = await api(`/api/traces/${encodeURIComponent(traceId)}`);
  const spans = trace.spans;
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const depth = (span, seen = 0) => (span.parentSpanId && byId.has(span.parentSpanId) && seen < 32 ? 1 + depth(byId.get(span.parentSpanId), seen + 1) : 0);
  const times = [...spans.flatMap((s) => [s.startTime, s.endTime]), ...trace.events.map((e) => e.timestamp)];
  const start = Math.min(...times);
  const length = Math.max(1, Math.max(...times) - start);
  const at = (ms) => `${(((ms - start) / length) * 100).toFixed(2)}%`;
  const rows = spans.map((span) => {
    const row = el('li', { class: `span ${span.status === 'error' ? 'failed' : ''}`, 'data-span': span.spanId });
    const label = el('span', { class: 'label', style: `padding-left:${depth(span)}rem` }, `${span.name} ${Math.round(span.durationMs)} ms`);
    const lane = el('span', { class: 'lane' });
    lane.append(el('span', { class: 'bar', style: `left:${at(span.startTime)};width:max(2px,${(span.durationMs / length) * 100}%)` }));
    for (const event of trace.events.filter((e) => e.spanId === span.spanId)) {
      lane.append(el('span', { class: event.id === marked ? 'tick marked' : 'tick', style: `left:${at(event.timestamp)}`, title: event.type }));
    }
    row.append(label, lane);
    return row;
  });
  $('trace-title').textContent = `Trace ${traceId}: ${spans.length} spans, ${trace.events.length} events`;
  $('trace-waterfall').replaceChildren(...(rows.length ? rows : [el('li', { class: 'empty' }, 'no spans of this trace were sent')]));
  $('trace').hidden = false;
}

async function refreshStream() {
  const { events } = await api('/api/events?limit=30');
  stream(events);
}

let timers = [];

function showLogin() {
  timers.forEach(clearInterval);
  timers = [];
  $('login').classList.add('shown');
  $('updated').textContent = 'admin token required';
}

async function tick(work) {
  try {
    await work();
    $('updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
  } catch (error) {
    if (error instanceof Unauthorized) showLogin();
    else $('updated').textContent = `retrying: ${error.message}`;
  }
}

function start() {
  $('login').classList.remove('shown');
  tick(refreshMetrics);
  tick(refreshStream);
  timers = [setInterval(() => tick(refreshMetrics), 5000), setInterval(() => tick(refreshStream), 2000)];
}

$('login').addEventListener('submit', (event) => {
  event.preventDefault();
  token = $('token').value.trim();
  sessionStorage.setItem('telemetry-admin-token', token);
  start();
});

$('csv').addEventListener('click', async (event) => {
  event.preventDefault();
  try {
    const csv = await api(`/api/llm/costs?groupBy=day&start=${Date.now() - 90 * DAY}&format=csv`);
    const link = el('a', { href: URL.createObjectURL(new Blob([csv], { type: 'text/csv' })), download: 'llm-costs.csv' });
    link.click();
    URL.revokeObjectURL(link.href);
  } catch (error) {
    if (error instanceof Unauthorized) showLogin();
  }
});

start();
