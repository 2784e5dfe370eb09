#!/usr/bin/env node
// Writes the map's label glyphs (MapLibre "glyph PBF" ranges: signed distance fields at 24 px) from an
// open-licensed TrueType font, so street names render with no internet. The output is committed under
// data-seed/glyphs/; run this only to regenerate it:
//
//   node scripts/make-glyphs.mjs /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf "Vigil Sans Regular"
//
// The distance field is computed exactly from the glyph outline (distance to the nearest flattened
// segment, inside/outside by the non-zero winding rule), which needs no rasteriser.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import opentype from 'opentype.js';

const SIZE = 24; // the size MapLibre expects glyph PBFs at
const BUFFER = 3; // border around each bitmap, fixed by the format
const RADIUS = 8; // distance (px) covered by the 0..255 ramp
const CUTOFF = 0.25; // the outline sits at 1 - CUTOFF of the ramp (value 191)
const RANGES = [0, 256, 8192]; // Basic Latin + Latin-1, Latin Extended-A/B, general punctuation

const [fontFile, stackName] = process.argv.slice(2);
if (!fontFile || !stackName) {
  process.stderr.write('usage: node scripts/make-glyphs.mjs <font.ttf> "<fontstack name>"\n');
  process.exit(2);
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'data-seed', 'glyphs', stackName);
const font = opentype.parse(fs.readFileSync(fontFile).buffer);
const scale = SIZE / font.unitsPerEm;
const ascender = Math.round(font.ascender * scale);

/** The outline as straight segments in pixels, y pointing down, baseline at y = 0. */
function segmentsOf(glyph) {
  const segments = [];
  let start = null;
  let pen = null;
  const line = (to) => {
    segments.push([pen[0], pen[1], to[0], to[1]]);
    pen = to;
  };
  for (const c of glyph.getPath(0, 0, SIZE).commands) {
    if (c.type === 'M') {
      if (start && pen && (pen[0] !== start[0] || pen[1] !== start[1])) line(start);
      start = pen = [c.x, c.y];
    } else if (c.type === 'L') line([c.x, c.y]);
    else if (c.type === 'Q') {
      const [x0, y0] = pen;
      for (let i = 1; i <= 8; i++) {
        const t = i / 8, u = 1 - t;
        line([u * u * x0 + 2 * u * t * c.x1 + t * t * c.x, u * u * y0 + 2 * u * t * c.y1 + t * t * c.y]);
      }
    } else if (c.type === 'C') {
      const [x0, y0] = pen;
      for (let i = 1; i <= 12; i++) {
        const t = i / 12, u = 1 - t;
        line([
          u * u * u * x0 + 3 * u * u * t * c.x1 + 3 * u * t * t * c.x2 + t * t * t * c.x,
          u * u * u * y0 + 3 * u * u * t * c.y1 + 3 * u * t * t * c.y2 + t * t * t * c.y,
        ]);
      }
    } else if (c.type === 'Z') {
      if (start && pen && (pen[0] !== start[0] || pen[1] !== start[1])) line(start);
      pen = start;
    }
  }
  return segments;
}

function distanceToSegment(px, py, [x0, y0, x1, y1]) {
  const dx = x1 - x0, dy = y1 - y0;
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / length2));
  const ex = x0 + t * dx - px, ey = y0 + t * dy - py;
  return Math.sqrt(ex * ex + ey * ey);
}

function winding(px, py, segments) {
  let w = 0;
  for (const [x0, y0, x1, y1] of segments) {
    const cross = (x1 - x0) * (py - y0) - (px - x0) * (y1 - y0);
    if (y0 <= py) {
      if (y1 > py && cross > 0) w++;
    } else if (y1 <= py && cross < 0) w--;
  }
  return w;
}

function renderGlyph(code) {
  const index = font.charToGlyphIndex(String.fromCodePoint(code));
  if (!index && code !== 32) return null;
  const glyph = font.glyphs.get(index);
  const advance = Math.round((glyph.advanceWidth ?? 0) * scale);
  const segments = segmentsOf(glyph);
  if (segments.length === 0) return { id: code, width: 0, height: 0, left: 0, top: -ascender, advance, bitmap: Buffer.alloc(0) };
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const [x0, y0, x1, y1] of segments) {
    minX = Math.min(minX, x0, x1); maxX = Math.max(maxX, x0, x1);
    minY = Math.min(minY, y0, y1); maxY = Math.max(maxY, y0, y1);
  }
  const left = Math.floor(minX);
  const top = Math.floor(minY); // y down: the highest point of the glyph
  const width = Math.ceil(maxX) - left;
  const height = Math.ceil(maxY) - top;
  const w = width + 2 * BUFFER, h = height + 2 * BUFFER;
  const bitmap = Buffer.alloc(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const px = left - BUFFER + x + 0.5, py = top - BUFFER + y + 0.5;
      let d = Infinity;
      for (const s of segments) d = Math.min(d, distanceToSegment(px, py, s));
      if (winding(px, py, segments) !== 0) d = -d;
      bitmap[y * w + x] = Math.max(0, Math.min(255, Math.round(255 - 255 * (d / RADIUS + CUTOFF))));
    }
  }
  // In the PBF, `top` is the glyph's top above the baseline less the font's ascender.
  return { id: code, width, height, left, top: -top - ascender, advance, bitmap };
}

// A minimal protobuf writer for the glyphs message (llmr.glyphs).
function varint(n) {
  const out = [];
  let v = n >>> 0;
  while (v > 127) { out.push((v & 127) | 128); v >>>= 7; }
  out.push(v);
  return Buffer.from(out);
}
const zigzag = (n) => (n << 1) ^ (n >> 31);
const key = (field, wire) => varint((field << 3) | wire);
const uintField = (field, n) => Buffer.concat([key(field, 0), varint(n)]);
const sintField = (field, n) => Buffer.concat([key(field, 0), varint(zigzag(n))]);
const bytesField = (field, bytes) => Buffer.concat([key(field, 2), varint(bytes.length), bytes]);

function encodeGlyph(g) {
  const parts = [uintField(1, g.id)];
  if (g.bitmap.length) parts.push(bytesField(2, g.bitmap));
  parts.push(uintField(3, g.width), uintField(4, g.height), sintField(5, g.left), sintField(6, g.top), uintField(7, g.advance));
  return Buffer.concat(parts);
}

fs.mkdirSync(outDir, { recursive: true });
for (const start of RANGES) {
  const end = start + 255;
  const glyphs = [];
  for (let code = start; code <= end; code++) {
    const g = renderGlyph(code);
    if (g) glyphs.push(bytesField(3, encodeGlyph(g)));
  }
  const stack = Buffer.concat([bytesField(1, Buffer.from(stackName)), bytesField(2, Buffer.from(`${start}-${end}`)), ...glyphs]);
  const file = path.join(outDir, `${start}-${end}.pbf`);
  fs.writeFileSync(file, bytesField(1, stack));
  process.stdout.write(`${file}: ${glyphs.length} glyphs, ${fs.statSync(file).size} bytes\n`);
}
