// The results map on "Find help" (progressive enhancement, after the list).
//
// An SVG drawn here from the Census state boundaries that us-atlas carries, served from
// our own origin: no tiles, no script or font from elsewhere. It draws only what the
// server put in the page's map data (results whose address is public, and the searched
// place with its radius); hidden and on-request locations are never in that data.
//
// Accessibility: the list is the full account of every result, and comes first. The
// map adds where they are: each point is a link to the same service page as the list,
// focusable, named "Map point 3: Service name", with the number its result shows in the
// list ("Map point 3").
// On a wide screen it sits beside the list; on a narrow one it waits behind "Show map",
// and its boundaries are fetched only when it is shown.

import { geoPath } from "d3-geo";
import { feature, mesh } from "topojson-client";
import { mapView } from "./map-layout.js";

const SVG_NS = "http://www.w3.org/2000/svg";
const WIDE = "(min-width: 48rem)"; // keep in step with directory.css

function svg(name, attributes, parent) {
  const element = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  parent.append(element);
  return element;
}

// The nation's outline and the borders between states, as SVG paths (already projected).
async function boundaries(url) {
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`map boundaries: ${response.status}`);
  const us = await response.json();
  const path = geoPath();
  return {
    land: path(feature(us, us.objects.nation)),
    borders: path(mesh(us, us.objects.states, (a, b) => a !== b)),
  };
}

function drawBase(root, map, shapes) {
  const { x, y, width, height } = map.view;
  // The background says nothing the list and caption do not: hidden from assistive tech.
  const base = svg("g", { "aria-hidden": "true" }, root);
  svg("rect", { x, y, width, height, class: "map__water" }, base);
  svg("path", { d: shapes.land, class: "map__land" }, base);
  svg("path", { d: shapes.borders, class: "map__borders" }, base);
  if (map.circle) svg("path", { d: map.circle, class: "map__radius" }, base);
  if (map.place) {
    const r = map.radius * 0.35;
    const { x: px, y: py } = map.place;
    svg("path", { d: `M${px - r},${py}H${px + r}M${px},${py - r}V${py + r}`, class: "map__place" }, base);
    const label = svg("text", { x: map.place.labelX, y: map.place.labelY, class: "map__label" }, base);
    label.setAttribute("font-size", String(map.radius * 0.9));
    label.textContent = map.place.label;
  }
  for (const m of map.markers) {
    // A marker moved aside (several at one address) keeps a line to where it really is.
    if (Math.hypot(m.cx - m.x, m.cy - m.y) > 0.01) {
      svg("line", { x1: m.x, y1: m.y, x2: m.cx, y2: m.cy, class: "map__leader" }, base);
    }
  }
}

function drawMarker(root, map, marker, prefix) {
  // "Map point 3: Name": told apart from the list's own link to the same page.
  const name = `${prefix} ${marker.number}: ${marker.name}`;
  const link = svg(
    "a",
    { href: marker.url, class: "map__marker", "aria-label": name, "data-qa": "map-marker" },
    root,
  );
  svg("title", {}, link).textContent = name;
  svg("circle", { cx: marker.cx, cy: marker.cy, r: map.radius, class: "map__dot" }, link);
  const number = svg(
    "text",
    { x: marker.cx, y: marker.cy, "font-size": map.radius * 1.05, class: "map__number" },
    link,
  );
  number.textContent = String(marker.number);
  // Pointing at a marker also marks its result in the list.
  const item = document.querySelector(`[data-map-number="${marker.number}"]`);
  for (const [on, off] of [
    ["focus", "blur"],
    ["mouseenter", "mouseleave"],
  ]) {
    link.addEventListener(on, () => item?.classList.add("result--pointed"));
    link.addEventListener(off, () => item?.classList.remove("result--pointed"));
  }
}

function draw(section, map, shapes) {
  const { x, y, width, height } = map.view;
  const canvas = section.querySelector("[data-map-canvas]");
  const root = document.createElementNS(SVG_NS, "svg");
  for (const [key, value] of Object.entries({
    viewBox: `${x} ${y} ${width} ${height}`,
    class: "map",
    role: "group",
    "aria-labelledby": "results-map-title",
  })) {
    root.setAttribute(key, value);
  }
  drawBase(root, map, shapes);
  for (const marker of map.markers) drawMarker(root, map, marker, section.dataset.marker);
  canvas.replaceChildren(root);
  // The list's numbers appear only now that there is a map for them to refer to.
  const shown = new Set(map.markers.map((m) => String(m.number)));
  for (const badge of document.querySelectorAll("[data-map-badge]")) {
    badge.hidden = !shown.has(badge.closest("[data-map-number]")?.dataset.mapNumber);
  }
}

function setUp(section) {
  const source = document.getElementById(section.dataset.mapData);
  const map = source ? mapView(JSON.parse(source.textContent)) : null;
  if (!map) return; // nothing drawable (e.g. every point outside the US): the list alone
  const toggle = section.querySelector("[data-map-toggle]");
  const figure = section.querySelector("figure");
  const layout = section.closest("[data-results-layout]");
  let drawing = null;
  const show = () => {
    drawing ??= boundaries(section.dataset.boundaries)
      .then((shapes) => draw(section, map, shapes))
      .catch(() => {
        section.hidden = true; // the list is complete without it
        layout?.classList.remove("has-map");
      });
  };
  const setOpen = (open) => {
    toggle.setAttribute("aria-expanded", String(open));
    toggle.textContent = open ? toggle.dataset.hide : toggle.dataset.show;
    figure.classList.toggle("is-collapsed", !open);
    if (open) show();
  };
  toggle.addEventListener("click", () => setOpen(toggle.getAttribute("aria-expanded") !== "true"));
  setOpen(false);
  section.hidden = false;
  layout?.classList.add("has-map");
  const wide = window.matchMedia(WIDE);
  if (wide.matches) show();
  wide.addEventListener("change", (event) => event.matches && show());
}

for (const section of document.querySelectorAll("[data-results-map]")) setUp(section);
