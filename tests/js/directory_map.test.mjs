// The results map's geometry (mend/static/js/directory/map-layout.js), without a browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { geoPath } from "d3-geo";
import { feature } from "topojson-client/src/index.js";
import { mapView, project, spread } from "../../mend/static/js/directory/map-layout.js";

const US = JSON.parse(
  readFileSync(new URL("../../node_modules/us-atlas/states-albers-10m.json", import.meta.url)),
);
const CHICAGO = [41.8781, -87.6298];
const SPRINGFIELD = [39.7817, -89.6501];

function stateBounds(name) {
  const state = feature(US, US.objects.states).features.find((s) => s.properties.name === name);
  return geoPath().bounds(state);
}

function inside([x, y], [[x0, y0], [x1, y1]]) {
  return x0 <= x && x <= x1 && y0 <= y && y <= y1;
}

test("it projects Chicago into Illinois as the states file draws it", () => {
  const chicago = project(...CHICAGO);
  assert.ok(inside(chicago, stateBounds("Illinois")), `${chicago}`);
  assert.ok(!inside(chicago, stateBounds("Iowa")));
});

test("it projects Honolulu and Anchorage into their insets, and leaves out what it cannot draw", () => {
  assert.ok(inside(project(21.3069, -157.8583), stateBounds("Hawaii")));
  assert.ok(inside(project(61.2181, -149.9003), stateBounds("Alaska")));
  // Albers USA (and so the states file) has no Puerto Rico: its results stay list-only.
  assert.equal(project(18.4655, -66.1057), null); // San Juan
  assert.equal(project(51.5074, -0.1278), null); // London, England
  assert.equal(project(19.4326, -99.1332), null); // Mexico City
});

test("it frames the searched circle and numbers only the points it can draw", () => {
  const map = mapView({
    place: { label: "Springfield, IL", lat: SPRINGFIELD[0], lng: SPRINGFIELD[1], radius_km: 40 },
    points: [
      { number: 1, name: "A", url: "/a", lat: SPRINGFIELD[0], lng: SPRINGFIELD[1] },
      { number: 3, name: "B", url: "/b", lat: 39.9, lng: -89.5 },
      { number: 4, name: "Abroad", url: "/c", lat: 51.5, lng: -0.12 },
    ],
  });
  assert.deepEqual(
    map.markers.map((m) => m.number),
    [1, 3],
  );
  const { x, y, width, height } = map.view;
  assert.ok(Math.abs(width / height - 4 / 3) < 1e-9);
  for (const m of map.markers) assert.ok(inside([m.cx, m.cy], [[x, y], [x + width, y + height]]));
  // 80 km across is about 16 units at this scale; the frame holds it with some room.
  assert.ok(width > 16 && width < 40, `${width}`);
  assert.match(map.circle, /^M/);
  assert.equal(map.place.label, "Springfield, IL");
});

test("it draws no map when no point is inside the projection", () => {
  const abroad = { number: 1, name: "Abroad", url: "/a", lat: 51.5, lng: -0.12 };
  assert.equal(mapView({ place: null, points: [abroad] }), null);
  assert.equal(mapView({ place: null, points: [] }), null);
});

test("it sets markers at one address apart so that none hides another", () => {
  const same = [1, 2, 3, 4].map((number) => ({ number, x: 100, y: 100 }));
  const placed = spread(same, 5);
  for (const [i, a] of placed.entries()) {
    assert.deepEqual([a.x, a.y], [100, 100]); // the true position is kept
    for (const b of placed.slice(i + 1)) {
      assert.ok(Math.hypot(a.cx - b.cx, a.cy - b.cy) >= 2 * 5, `${a.number} and ${b.number}`);
    }
  }
  const apart = spread([{ number: 1, x: 0, y: 0 }, { number: 2, x: 50, y: 0 }], 5);
  assert.deepEqual(
    apart.map((m) => [m.cx, m.cy]),
    [
      [0, 0],
      [50, 0],
    ],
  );
});
