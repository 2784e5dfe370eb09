import { RoadDataError, type OsmMember, type OsmSink, type ReadProgress, type Tags } from './elements.js';

/**
 * Reads OSM XML (https://wiki.openstreetmap.org/wiki/OSM_XML). A small scanner, not a general XML
 * parser: it knows the five predefined entities and character references and refuses any other entity,
 * so a document type declaring external entities can never make it read a file or the network.
 */
const ATTRIBUTE = /\s*([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;
const TAG_END = /\s*(\/?)>/y;
const NAME = /[A-Za-z_][\w.:-]*/y;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

interface OpenElement {
  name: string;
  id: number;
  skip: boolean;
  attrs: Record<string, string>;
  tags: Tags;
  refs: number[];
  members: OsmMember[];
}

export function readOsmXml(text: string, sink: OsmSink, progress?: ReadProgress): void {
  const stack: OpenElement[] = [];
  let sawRoot = false;
  let pos = 0;
  let lastReport = 0;
  const fail = (message: string, at = pos): never => {
    throw new RoadDataError(`${message} (OSM XML line ${lineOf(text, at)})`);
  };

  while (true) {
    const lt = text.indexOf('<', pos);
    if (lt < 0) break;
    pos = lt;
    if (text.startsWith('<?', pos)) pos = skipPast(text, pos, '?>', fail);
    else if (text.startsWith('<!--', pos)) pos = skipPast(text, pos, '-->', fail);
    else if (text.startsWith('<![CDATA[', pos)) pos = skipPast(text, pos, ']]>', fail);
    else if (text.startsWith('<!DOCTYPE', pos)) pos = skipDoctype(text, pos, fail);
    else if (text.startsWith('</', pos)) {
      NAME.lastIndex = pos + 2;
      const m = NAME.exec(text) ?? fail('malformed closing tag');
      const open = stack.pop();
      if (!open || open.name !== m[0]) fail(`unexpected </${m[0]}>`);
      TAG_END.lastIndex = NAME.lastIndex;
      const end = TAG_END.exec(text) ?? fail('malformed closing tag');
      pos = TAG_END.lastIndex;
      if (end[1]) fail('malformed closing tag');
      finish(open!, sink);
    } else {
      NAME.lastIndex = pos + 1;
      const m = NAME.exec(text) ?? fail('malformed tag');
      const name = m[0];
      const attrs: Record<string, string> = {};
      let at = NAME.lastIndex;
      while (true) {
        ATTRIBUTE.lastIndex = at;
        const a = ATTRIBUTE.exec(text);
        if (!a) break;
        attrs[a[1]!] = decodeEntities(a[2] ?? a[3] ?? '', () => fail('unsupported entity reference', at));
        at = ATTRIBUTE.lastIndex;
      }
      TAG_END.lastIndex = at;
      const end =
        TAG_END.exec(text) ??
        (text.indexOf('>', at) < 0 ? fail(`truncated OSM XML file (ends inside a <${name}> tag)`) : fail(`malformed <${name}> tag`));
      pos = TAG_END.lastIndex;
      if (stack.length === 0) {
        if (name !== 'osm') fail(`not an OSM XML file (root element <${name}>)`);
        if (sawRoot) fail('more than one <osm> root element');
        sawRoot = true;
      }
      const element = open(name, attrs, stack[stack.length - 1], fail);
      if (end[1]) finish(element, sink);
      else stack.push(element);
    }
    if (progress && pos - lastReport > 1 << 20) {
      lastReport = pos;
      progress(pos, text.length);
    }
  }
  if (text.slice(pos).trim() !== '') fail('text after the last tag');
  if (!sawRoot) throw new RoadDataError('not an OSM XML file (no <osm> element)');
  if (stack.length > 0) throw new RoadDataError(`truncated OSM XML file (<${stack[stack.length - 1]!.name}> is never closed)`);
  progress?.(text.length, text.length);
}

function open(name: string, attrs: Record<string, string>, parent: OpenElement | undefined, fail: (m: string) => never): OpenElement {
  const element: OpenElement = { name, id: 0, skip: false, attrs, tags: {}, refs: [], members: [] };
  if (name === 'node' || name === 'way' || name === 'relation') {
    element.id = integer(attrs.id, `<${name}> id`, fail);
    // JOSM files keep deleted and invisible elements; they are not part of the map.
    element.skip = attrs.action === 'delete' || attrs.visible === 'false';
  } else if (parent && !parent.skip) {
    if (name === 'tag' && attrs.k !== undefined) parent.tags[attrs.k] = attrs.v ?? '';
    else if (name === 'nd' && parent.name === 'way') parent.refs.push(integer(attrs.ref, '<nd> ref', fail));
    else if (name === 'member' && parent.name === 'relation') {
      const type = attrs.type;
      if (type !== 'node' && type !== 'way' && type !== 'relation') fail(`bad member type "${type}"`);
      parent.members.push({ type: type as OsmMember['type'], ref: integer(attrs.ref, '<member> ref', fail), role: attrs.role ?? '' });
    }
  }
  return element;
}

function finish(element: OpenElement, sink: OsmSink): void {
  if (element.skip) return;
  if (element.name === 'node') {
    const lat = Number(element.attrs.lat);
    const lon = Number(element.attrs.lon);
    if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
      throw new RoadDataError(`node ${element.id} has no valid lat/lon`);
    }
    sink.node(element.id, lon, lat, Object.keys(element.tags).length > 0 ? element.tags : undefined);
  } else if (element.name === 'way') sink.way(element.id, element.refs, element.tags);
  else if (element.name === 'relation') sink.relation(element.id, element.members, element.tags);
}

function integer(value: string | undefined, what: string, fail: (m: string) => never): number {
  const n = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isSafeInteger(n)) fail(`${what} is not an integer`);
  return n;
}

function decodeEntities(value: string, fail: () => never): string {
  if (!value.includes('&')) return value;
  return value.replace(/&([^;&\s]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) fail();
    if (name.startsWith('#')) {
      const code = name.startsWith('#x') ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fail();
    }
    return PREDEFINED[name] ?? fail();
  });
}

function skipPast(text: string, pos: number, marker: string, fail: (m: string, at?: number) => never): number {
  const end = text.indexOf(marker, pos);
  if (end < 0) fail('truncated OSM XML file (unterminated markup)', pos);
  return end + marker.length;
}

/** Skips <!DOCTYPE ...> including an internal subset; its declarations are never acted upon. */
function skipDoctype(text: string, pos: number, fail: (m: string, at?: number) => never): number {
  let depth = 0;
  for (let i = pos + 9; i < text.length; i++) {
    const c = text[i];
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '>' && depth <= 0) return i + 1;
  }
  return fail('truncated OSM XML file (unterminated DOCTYPE)', pos);
}

function lineOf(text: string, pos: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
