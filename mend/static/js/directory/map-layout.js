// The results map's geometry, without a page: where each numbered point goes.
//
// Pure functions (tested with node in tests/js/directory_map.test.mjs). They only ever
// receive what the server put in the page's map data: results whose address is public,
// and the searched place. Hidden and on-request locations never reach this code.
//
// Positions use the projection that us-atlas's states-albers-10m.json was drawn with
// (Albers USA, insets for Alaska, Hawaii and Puerto Rico, 975x610), so points and
// state boundaries line up. A point outside it projects to null and is left off.

import { geoAlbersUsa, geoCircle, geoPath } from "d3-geo";

export const projection = geoAlbersUsa().scale(1300).translate([487.5, 305]);

const EARTH_RADIUS_KM = 6371.0088;
const ASPECT = 4 / 3; // width : height of the drawn view
const MIN_SPAN = 12; // about 60 km: one result alone is not blown up to fill the map
const PADDING = 0.1; // of the span, on each side
const MARKER = 0.035; // marker radius, as a share of the view's width

// [x, y] in the states file's coordinates, or null outside the projection.
export function project(latitude, longitude) {
  const point = projection([longitude, latitude]);
  return point ? [point[0], point[1]] : null;
}

// The search radius as a projected circle: its SVG path and bounds ([[x0, y0], [x1, y1]]).
export function radiusCircle(place) {
  if (!place || !(place.radius_km > 0) || !project(place.lat, place.lng)) return null;
  const degrees = (place.radius_km / EARTH_RADIUS_KM) * (180 / Math.PI);
  const circle = geoCircle().center([place.lng, place.lat]).radius(degrees)();
  const path = geoPath(projection);
  return { d: path(circle), bounds: path.bounds(circle) };
}

// The smallest box holding every box, widened to the view's shape with some padding.
function frame(boxes) {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [[a, b], [c, d]] of boxes) {
    [x0, y0, x1, y1] = [Math.min(x0, a), Math.min(y0, b), Math.max(x1, c), Math.max(y1, d)];
  }
  let width = Math.max(x1 - x0, MIN_SPAN);
  let height = Math.max(y1 - y0, MIN_SPAN / ASPECT);
  if (width / height > ASPECT) height = width / ASPECT;
  else width = height * ASPECT;
  width *= 1 + 2 * PADDING;
  height *= 1 + 2 * PADDING;
  const [cx, cy] = [(x0 + x1) / 2, (y0 + y1) / 2];
  return { x: cx - width / 2, y: cy - height / 2, width, height };
}

// Markers closer than a marker's width would hide each other (several services at one
// address often are): each such group is set out on a ring around where they are, and
// each marker keeps its true position (x, y) for a thin line back to it.
export function spread(markers, radius) {
  const groups = [];
  for (const marker of markers) {
    const near = groups.find((g) => Math.hypot(g.x - marker.x, g.y - marker.y) < 2.2 * radius);
    if (near) near.members.push(marker);
    else groups.push({ x: marker.x, y: marker.y, members: [marker] });
  }
  const placed = [];
  for (const group of groups) {
    const n = group.members.length;
    const ring = n === 1 ? 0 : Math.max(1.3 * radius, (1.15 * radius) / Math.sin(Math.PI / n));
    group.members.forEach((marker, i) => {
      const angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
      placed.push({
        ...marker,
        cx: group.x + ring * Math.cos(angle),
        cy: group.y + ring * Math.sin(angle),
      });
    });
  }
  return placed;
}

// The searched place: a cross where it is, its name centred above the search circle
// (or above the cross), where no marker covers it.
function placeMark([x, y], label, circle, radius) {
  const top = circle ? circle.bounds[0][1] : y - radius;
  return { x, y, label, labelX: x, labelY: top - radius * 0.4 };
}

function clamp(value, low, high) {
  return Math.min(Math.max(value, low), high);
}

// Everything the page needs to draw: the view box, the marker radius, the markers with
// their shown (cx, cy) and true (x, y) positions, the searched place and its circle.
// Null when no result can be drawn (then the page keeps the list alone).
export function mapView(data) {
  const markers = [];
  for (const point of data.points ?? []) {
    const xy = project(point.lat, point.lng);
    if (xy) markers.push({ ...point, x: xy[0], y: xy[1] });
  }
  if (markers.length === 0) return null;
  const circle = radiusCircle(data.place);
  const placeXY = data.place ? project(data.place.lat, data.place.lng) : null;
  const boxes = markers.map((m) => [
    [m.x, m.y],
    [m.x, m.y],
  ]);
  if (circle) boxes.push(circle.bounds);
  const view = frame(boxes);
  const radius = MARKER * view.width;
  return {
    view,
    radius,
    markers: spread(markers, radius).map((m) => ({
      ...m,
      cx: clamp(m.cx, view.x + radius, view.x + view.width - radius),
      cy: clamp(m.cy, view.y + radius, view.y + view.height - radius),
    })),
    place: placeXY ? placeMark(placeXY, data.place.label, circle, radius) : null,
    circle: circle ? circle.d : null,
  };
}
