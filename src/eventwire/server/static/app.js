// eventwire web app: vanilla JS. Every text from the store is inserted with textContent /
// text nodes (never innerHTML), so markup inside an article is shown, not run.
"use strict";

const SVGNS = "http://www.w3.org/2000/svg";
const QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"};
const QUAD_COLOURS = {1: "#2b8cbe", 2: "#1a9850", 3: "#f39c12", 4: "#d73027"};
const PAGE = 25;
const state = {offset: 0, total: 0, tab: "events", selected: null};

// ------------------------------------------------------------------ helpers

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(c == null ? "" : String(c)));
  return node;
}

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVGNS, tag);
  setAttrs(node, attrs);
  if (text != null) node.textContent = String(text);
  return node;
}

function setAttrs(node, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null) continue;
    if (k === "dataset") Object.assign(node.dataset, v);
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
}

function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

function status(msg, isError) {
  const s = document.getElementById("status");
  s.textContent = msg || "";
  s.className = isError ? "error" : "";
}

function filters() {
  const out = {};
  for (const [k, v] of new FormData(document.getElementById("filters")).entries()) {
    if (String(v).trim()) out[k] = String(v).trim();
  }
  return out;
}

function qs(params) { return new URLSearchParams(params).toString(); }

async function api(path, options) {
  const res = await fetch(path, options);
  const type = res.headers.get("content-type") || "";
  const body = type.includes("json") ? await res.json() : await res.text();
  if (!res.ok) throw new Error((body && body.error) || `HTTP ${res.status}`);
  return body;
}

async function post(path, payload) {
  const token = document.getElementById("token").value;
  sessionStorage.setItem("eventwire-token", token);
  return api(path, {method: "POST", headers: {"Content-Type": "application/json", "Authorization": `Bearer ${token}`},
                    body: JSON.stringify(payload)});
}

function party(code, sector, text) {
  const label = [code || "---", sector || ""].join(" ").trim();
  return text ? `${label} (${text})` : label;
}

function speakerOf(record) {
  const chain = (record.attribution || []).filter(s => s.kind === "source");
  return chain.length ? chain[chain.length - 1].name : "";
}

// ------------------------------------------------------------------ tabs

function showTab(name) {
  state.tab = name;
  for (const b of document.querySelectorAll("#tabs button")) b.classList.toggle("active", b.dataset.tab === name);
  for (const s of document.querySelectorAll(".tab")) s.classList.toggle("active", s.id === `tab-${name}`);
  refresh();
}

function refresh() {
  const run = {events: loadEvents, stories: loadStories, network: loadNetwork, timeline: loadTimeline,
               map: loadMap, watchlists: loadWatchlists}[state.tab];
  run().catch(err => status(err.message, true));
}

// ------------------------------------------------------------------ events table

async function loadEvents() {
  const data = await api(`/api/events?${qs({...filters(), limit: PAGE, offset: state.offset})}`);
  state.total = data.total;
  const body = document.querySelector("#events-table tbody");
  clear(body);
  for (const ev of data.events) {
    const q = ev.quad_code;
    const row = el("tr", {dataset: {id: ev.id}, title: QUAD_NAMES[q] || "", onclick: () => openEvent(ev.id)},
      el("td", {}, ev.date || ev.published || ""),
      el("td", {}, el("span", {class: `quad q${q}`}), ev.event),
      el("td", {}, party(ev.actor_code, ev.actor_sector, ev.actor_text)),
      el("td", {}, party(ev.recipient_code, ev.recipient_sector, ev.recipient_text)),
      el("td", {}, ev.modality),
      el("td", {}, speakerOf(ev.record)),
      el("td", {}, ev.place_name || ""),
      el("td", {}, ev.outlet || ""));
    if (ev.id === state.selected) row.classList.add("selected");
    body.append(row);
  }
  const last = Math.min(state.offset + PAGE, data.total);
  document.getElementById("page").textContent = data.total ? `${state.offset + 1}-${last} of ${data.total}` : "no events";
  status(`${data.total} events`);
}

function exportLink(format) {
  window.location.href = `/api/export?${qs({...filters(), format})}`;
}

// ------------------------------------------------------------------ event + article view

async function openEvent(id) {
  const data = await api(`/api/events/${encodeURIComponent(id)}`);
  state.selected = id;
  for (const tr of document.querySelectorAll("#events-table tbody tr")) tr.classList.toggle("selected", tr.dataset.id === id);
  if (state.tab !== "events") showTab("events");
  history.replaceState(null, "", `#event=${encodeURIComponent(id)}`);
  const ev = data.event, rec = ev.record, art = data.article;
  document.getElementById("detail").hidden = false;
  document.getElementById("detail-title").textContent =
    `${ev.actor_code || "---"} ${ev.event} ${ev.recipient_code || "---"}: ${art.title || ev.article_id}`;
  document.getElementById("detail-meta").textContent =
    [art.outlet, art.published, art.url].filter(Boolean).join(" · ");
  const facts = document.getElementById("detail-facts");
  clear(facts);
  const add = (k, v) => { facts.append(el("dt", {}, k), el("dd", {}, v == null || v === "" ? "-" : v)); };
  add("event", `${ev.event}${(rec.mode || []).length ? " / " + rec.mode.join(", ") : ""} (quad ${ev.quad_code}: ${QUAD_NAMES[ev.quad_code] || ""})`);
  add("context", (data.evidence.context || []).map(c => `${c.context} ("${c.text}", ${c.how})`).join("; ")
      || (rec.context || []).join(", "));
  add("actor", (rec.actor || []).map(a => party(a.code, a.sector, a.entity_text) + (a.corrected ? " [corrected]" : "")).join("; "));
  add("recipient", (rec.recipient || []).map(a => party(a.code, a.sector, a.entity_text) + (a.corrected ? " [corrected]" : "")).join("; "));
  add("date", `${rec.date || "unknown"} (${rec.date_precision})`);
  add("place", rec.event_loc ? `${rec.event_loc.name} (${rec.event_loc.country || "?"})` : "");
  add("modality", rec.modality + (rec.modality_cue ? ` ["${rec.modality_cue.text}"]` : ""));
  add("confidence", rec.confidence);
  add("rule", rec.rule);
  const chain = document.getElementById("detail-chain");
  clear(chain);
  for (const s of rec.attribution || []) {
    const cue = s.cue ? ` — cue "${s.cue.text}" [${s.cue.start}:${s.cue.end}]` : "";
    chain.append(el("li", {}, `${s.kind}: ${s.name}${s.code ? " (" + party(s.code, s.sector) + ")" : ""}${cue}`));
  }
  renderArticle(art.text || "", marksOf(data.evidence));
  const entity = document.querySelector("#correct-form input[name=entity]");
  entity.value = (rec.actor[0] && rec.actor[0].entity_text) || "";
}

function marksOf(evidence) {
  const marks = [];
  const push = (span, cls, label) => { if (span && span.start != null && span.end > span.start) marks.push({start: span.start, end: span.end, cls, label}); };
  push(evidence.sentence, "ev-sentence", "evidence sentence");
  for (const a of evidence.actors) push(a, a.role === "actor" ? "ev-actor" : "ev-recipient", `${a.role}: ${party(a.code, a.sector)}`);
  for (const s of evidence.attribution) {
    if (s.kind !== "source") continue;
    push({start: s.start, end: s.end}, "ev-speaker", `speaker: ${s.name}`);
    push(s.cue, "ev-cue", "attribution cue");
  }
  if (evidence.place) push(evidence.place, "ev-place", `place: ${evidence.place.name}`);
  for (const c of evidence.context || []) if (c.how === "cue") push(c, "ev-context", `context: ${c.context}`);
  push(evidence.trigger, "ev-trigger", "trigger");
  return marks;
}

// Split the text at every mark boundary; each piece is a <span> with the classes of the marks
// covering it. Text goes in as text nodes only.
function renderArticle(text, marks) {
  const box = document.getElementById("article-text");
  clear(box);
  const cuts = new Set([0, text.length]);
  for (const m of marks) { cuts.add(Math.max(0, Math.min(text.length, m.start))); cuts.add(Math.max(0, Math.min(text.length, m.end))); }
  const points = [...cuts].sort((a, b) => a - b);
  for (let i = 0; i + 1 < points.length; i++) {
    const [s, e] = [points[i], points[i + 1]];
    const covering = marks.filter(m => m.start <= s && m.end >= e);
    const piece = text.slice(s, e);
    if (!covering.length) { box.append(document.createTextNode(piece)); continue; }
    const span = el("span", {class: covering.map(m => m.cls).join(" "), title: covering.map(m => m.label).join("; "),
                             dataset: {start: s, end: e}});
    span.textContent = piece;
    box.append(span);
  }
}

// ------------------------------------------------------------------ stories

async function loadStories() {
  const data = await api(`/api/stories?${qs({...filters(), limit: 200})}`);
  const list = document.getElementById("stories-list");
  clear(list);
  for (const s of data.stories) {
    const r = s.representative;
    const who = `${(r.actor[0] || {}).code || "---"} ${s.type} ${(r.recipient[0] || {}).code || "---"}`;
    const sentence = ((r.evidence || {}).sentence || {}).text || "";
    const copies = el("ul", {});
    for (const c of s.copies) {
      const said = (c.attribution || []).map(x => x.name).join(" → ");
      copies.append(el("li", {}, el("a", {href: "#", onclick: e => { e.preventDefault(); openEvent(c.event_id); }}, c.event_id),
                       ` ${c.outlet || ""}: ${said}`));
    }
    list.append(el("li", {dataset: {story: s.id}},
      el("span", {class: "count"}, `${s.source_count} source${s.source_count === 1 ? "" : "s"}`),
      ` · ${who} · ${s.date_first || "undated"}${s.date_last && s.date_last !== s.date_first ? " to " + s.date_last : ""}`,
      el("p", {}, sentence), copies));
  }
  status(`${data.total} stories`);
}

// ------------------------------------------------------------------ network

async function loadNetwork() {
  const data = await api(`/api/dyads?${qs({...filters(), interval: "year"})}`);
  const box = document.getElementById("network");
  clear(box);
  const nodes = new Map();
  for (const d of data.dyads) for (const c of [d.actor, d.recipient]) if (!nodes.has(c)) nodes.set(c, {id: c, n: 0});
  for (const d of data.dyads) { nodes.get(d.actor).n += d.total; nodes.get(d.recipient).n += d.total; }
  const list = [...nodes.values()];
  layout(list, data.dyads, 900, 560);
  const max = Math.max(1, ...data.dyads.map(d => d.total));
  for (const d of data.dyads) {
    const a = nodes.get(d.actor), b = nodes.get(d.recipient);
    const quad = Object.entries(d.by_quad).sort((x, y) => y[1] - x[1])[0][0];
    const line = svg("line", {x1: a.x, y1: a.y, x2: b.x, y2: b.y, stroke: QUAD_COLOURS[quad],
                              "stroke-width": 1.5 + 6 * d.total / max, "stroke-opacity": .8, class: "edge",
                              "data-quad": quad});
    line.append(svg("title", {}, `${d.actor} → ${d.recipient}: ${d.total} events (mostly ${QUAD_NAMES[quad]})`));
    box.append(line);
    const mx = (a.x + 2 * b.x) / 3, my = (a.y + 2 * b.y) / 3;
    box.append(svg("circle", {cx: mx, cy: my, r: 3, fill: QUAD_COLOURS[quad]}));
  }
  for (const n of list) {
    const g = svg("g", {class: "node", transform: `translate(${n.x},${n.y})`});
    g.append(svg("circle", {r: 8 + 3 * Math.sqrt(n.n), fill: "#eceff1", stroke: "#455a64"}));
    g.append(svg("text", {"text-anchor": "middle", dy: 4}, n.id));
    g.append(svg("title", {}, `${n.id}: ${n.n} events`));
    g.addEventListener("click", () => { document.querySelector("#filters [name=actor]").value = n.id; showTab("events"); });
    box.append(g);
  }
  if (!list.length) box.append(svg("text", {x: 20, y: 30}, "no coded dyads for these filters"));
  status(`${list.length} actors, ${data.dyads.length} dyads`);
}

// A small deterministic force layout: nodes on a circle, then repulsion + springs.
function layout(nodes, edges, w, h) {
  const byId = new Map(nodes.map((n, i) => {
    const t = 2 * Math.PI * i / Math.max(1, nodes.length);
    n.x = w / 2 + (w / 3) * Math.cos(t); n.y = h / 2 + (h / 3) * Math.sin(t);
    return [n.id, n];
  }));
  for (let it = 0; it < 300; it++) {
    const cool = 1 - it / 300;
    for (const a of nodes) { a.dx = 0; a.dy = 0; }
    for (let i = 0; i < nodes.length; i++) for (let j = i + 1; j < nodes.length; j++) {
      const a = nodes[i], b = nodes[j];
      let dx = a.x - b.x, dy = a.y - b.y; const d2 = Math.max(dx * dx + dy * dy, 1);
      const f = 12000 / d2; dx *= f / Math.sqrt(d2); dy *= f / Math.sqrt(d2);
      a.dx += dx; a.dy += dy; b.dx -= dx; b.dy -= dy;
    }
    for (const e of edges) {
      const a = byId.get(e.actor), b = byId.get(e.recipient);
      const dx = b.x - a.x, dy = b.y - a.y, d = Math.max(Math.hypot(dx, dy), 1), f = (d - 140) * 0.05;
      a.dx += dx / d * f; a.dy += dy / d * f; b.dx -= dx / d * f; b.dy -= dy / d * f;
    }
    for (const n of nodes) {
      n.dx += (w / 2 - n.x) * 0.01; n.dy += (h / 2 - n.y) * 0.01;
      n.x = Math.min(w - 40, Math.max(40, n.x + Math.max(-20, Math.min(20, n.dx)) * cool));
      n.y = Math.min(h - 30, Math.max(30, n.y + Math.max(-20, Math.min(20, n.dy)) * cool));
    }
  }
}

// ------------------------------------------------------------------ dyad timeline

async function loadTimeline() {
  const form = document.getElementById("dyad-form");
  const f = Object.fromEntries(new FormData(form).entries());
  const base = filters();
  delete base.actor; delete base.recipient;
  if (!f.a && !f.b) {  // default: the busiest dyad
    const all = await api(`/api/dyads?${qs({...filters(), interval: f.interval})}`);
    if (all.dyads.length) { f.a = all.dyads[0].actor; f.b = all.dyads[0].recipient; form.a.value = f.a; form.b.value = f.b; }
  }
  const params = {...base, interval: f.interval};
  if (f.a) params.actor = f.a;
  if (f.b) params.recipient = f.b;
  const data = await api(`/api/dyads?${qs(params)}`);
  const d = data.dyads.find(x => (!f.a || x.actor === f.a.toUpperCase()) && (!f.b || x.recipient === f.b.toUpperCase()));
  const box = document.getElementById("timeline");
  clear(box);
  if (!d) { box.append(svg("text", {x: 20, y: 30}, "no events for this dyad")); status(""); return; }
  box.append(svg("text", {x: 20, y: 22, "font-weight": 600}, `${d.actor} → ${d.recipient}: ${d.total} events per ${data.interval}`));
  const series = d.series, max = Math.max(1, ...series.map(s => s.count));
  const left = 50, bottom = 280, width = 820, bw = Math.min(60, width / series.length - 6);
  box.append(svg("line", {x1: left, y1: bottom, x2: left + width, y2: bottom, stroke: "#90a4ae"}));
  box.append(svg("text", {x: 10, y: 60}, String(max)));
  series.forEach((s, i) => {
    const x = left + 6 + i * (width / series.length);
    let y = bottom;
    for (const q of ["1", "2", "3", "4"]) {
      const n = s.by_quad[q] || 0; if (!n) continue;
      const hgt = 220 * n / max; y -= hgt;
      const r = svg("rect", {x, y, width: bw, height: hgt, fill: QUAD_COLOURS[q], class: "bar"});
      r.append(svg("title", {}, `${s.period}: ${n} ${QUAD_NAMES[q]}`));
      box.append(r);
    }
    box.append(svg("text", {x: x + bw / 2, y: bottom + 16, "text-anchor": "middle"}, s.period));
  });
  status(`${d.total} events between ${d.actor} and ${d.recipient}`);
}

// ------------------------------------------------------------------ map (offline, equirectangular)

let world = null;
const project = ([lon, lat]) => [(lon + 180) * 960 / 360, (90 - lat) * 480 / 180];

function pathOf(geometry) {
  const polys = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  // a ring crossing the antimeridian is cut where the longitude jumps, not drawn across the map
  const ringPath = ring => ring.map((p, i) => {
    const jump = i > 0 && Math.abs(p[0] - ring[i - 1][0]) > 180;
    return (i === 0 || jump ? "M" : "L") + project(p).map(v => v.toFixed(1)).join(",");
  }).join("") + "Z";
  return polys.map(rings => rings.map(ringPath).join("")).join("");
}

function centreOf(feature) {
  const polys = feature.geometry.type === "Polygon" ? [feature.geometry.coordinates] : feature.geometry.coordinates;
  let best = null, bestArea = -1;
  for (const rings of polys) {
    const xs = rings[0].map(p => p[0]), ys = rings[0].map(p => p[1]);
    const area = (Math.max(...xs) - Math.min(...xs)) * (Math.max(...ys) - Math.min(...ys));
    if (area > bestArea) { bestArea = area; best = [(Math.max(...xs) + Math.min(...xs)) / 2, (Math.max(...ys) + Math.min(...ys)) / 2]; }
  }
  return best;
}

async function loadMap() {
  if (!world) {
    const topo = await api("/static/vendor/countries-110m.json");
    world = topojson.feature(topo, topo.objects.countries).features;
  }
  const data = await api(`/api/places?${qs(filters())}`);
  const box = document.getElementById("map");
  clear(box);
  const hit = new Set(data.places.map(p => p.country_numeric).filter(Boolean));
  const byId = new Map();
  for (const f of world) {
    byId.set(String(f.id), f);
    const path = svg("path", {d: pathOf(f.geometry), class: "land" + (hit.has(String(f.id)) ? " hit" : "")});
    path.append(svg("title", {}, f.properties.name));
    box.append(path);
  }
  let shown = 0;
  for (const p of data.places) {
    let point = p.lat != null && p.lon != null ? [p.lon, p.lat] : null;
    const exact = point != null;
    if (!point && p.country_numeric && byId.has(p.country_numeric)) point = centreOf(byId.get(p.country_numeric));
    if (!point) continue;
    const [x, y] = project(point);
    const c = svg("circle", {cx: x, cy: y, r: 3 + 2 * Math.sqrt(p.count), class: "place",
                             fill: exact ? "#d84315" : "none", stroke: "#d84315", "stroke-width": 2, "fill-opacity": .8});
    c.append(svg("title", {}, `${p.name || p.country}: ${p.count} events`));
    c.addEventListener("click", () => openEvent(p.event_ids[0]));
    box.append(c);
    shown++;
  }
  status(`${shown} places`);
}

// ------------------------------------------------------------------ watchlists

async function loadWatchlists() {
  const data = await api("/api/watchlists");
  const list = document.getElementById("watch-list");
  clear(list);
  for (const w of data.watchlists) {
    const desc = Object.entries(w.filters).filter(([, v]) => v != null && v !== "").map(([k, v]) => `${k}=${v}`).join(", ");
    list.append(el("li", {}, el("strong", {}, w.name), ` (${desc || "all events"}) `,
                   el("a", {href: w.feed, class: "feed"}, "Atom feed")));
  }
  status(`${data.watchlists.length} watchlists`);
}

// ------------------------------------------------------------------ wiring

function init() {
  document.getElementById("token").value = sessionStorage.getItem("eventwire-token") || "";
  for (const b of document.querySelectorAll("#tabs button")) b.addEventListener("click", () => showTab(b.dataset.tab));
  document.getElementById("filters").addEventListener("submit", e => { e.preventDefault(); state.offset = 0; refresh(); });
  document.getElementById("reset-filters").addEventListener("click", () => { document.getElementById("filters").reset(); state.offset = 0; refresh(); });
  document.getElementById("prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - PAGE); refresh(); });
  document.getElementById("next").addEventListener("click", () => { if (state.offset + PAGE < state.total) { state.offset += PAGE; refresh(); } });
  for (const a of document.querySelectorAll(".exports a")) a.addEventListener("click", () => exportLink(a.dataset.format));
  document.getElementById("dyad-form").addEventListener("submit", e => { e.preventDefault(); loadTimeline().catch(err => status(err.message, true)); });
  document.getElementById("watch-form").addEventListener("submit", async e => {
    e.preventDefault();
    try {
      await post("/api/watchlists", {name: e.target.elements.namedItem("name").value, filters: filters()});
      e.target.reset();
      await loadWatchlists();
    } catch (err) { status(err.message, true); }
  });
  document.getElementById("correct-form").addEventListener("submit", async e => {
    e.preventDefault();
    const f = Object.fromEntries(new FormData(e.target).entries());
    try {
      await post("/api/actors/corrections", {entity: f.entity, code: f.code ? f.code.toUpperCase() : null,
                                             sector: f.sector ? f.sector.toUpperCase() : null});
      status(`correction saved for "${f.entity}"`);
      if (state.selected) await openEvent(state.selected);
      await loadEvents();
    } catch (err) { status(err.message, true); }
  });
  window.addEventListener("hashchange", openFromHash);
  refresh();
  openFromHash();
}

function openFromHash() {
  const m = /#event=(.+)$/.exec(location.hash);
  if (m && decodeURIComponent(m[1]) !== state.selected) openEvent(decodeURIComponent(m[1])).catch(err => status(err.message, true));
}

document.addEventListener("DOMContentLoaded", init);
