import { CAP12_NAMESPACE, type Alert, type Area, type Info, type Resource, type ValuePair } from './model.js';

/**
 * CAP 1.2 XML for an alert, elements in the order of the schema's sequences (cap12.xsd), default namespace
 * urn:oasis:names:tc:emergency:cap:1.2, UTF-8. Optional elements that are absent or empty are left out
 * rather than written empty.
 */
export function alertToXml(alert: Alert): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', `<alert xmlns="${CAP12_NAMESPACE}">`];
  const w = new Writer(out, 1);
  w.el('identifier', alert.identifier, true);
  w.el('sender', alert.sender, true);
  w.el('sent', alert.sent, true);
  w.el('status', alert.status, true);
  w.el('msgType', alert.msgType, true);
  w.el('source', alert.source);
  w.el('scope', alert.scope, true);
  w.el('restriction', alert.restriction);
  w.el('addresses', alert.addresses);
  for (const code of alert.code) w.el('code', code, true);
  w.el('note', alert.note);
  w.el('references', alert.references);
  w.el('incidents', alert.incidents);
  for (const info of alert.info) writeInfo(w, info);
  out.push('</alert>', '');
  return out.join('\n');
}

function writeInfo(parent: Writer, info: Info): void {
  const w = parent.open('info');
  w.el('language', info.language);
  for (const category of info.category) w.el('category', category, true);
  w.el('event', info.event, true);
  for (const responseType of info.responseType) w.el('responseType', responseType, true);
  w.el('urgency', info.urgency, true);
  w.el('severity', info.severity, true);
  w.el('certainty', info.certainty, true);
  w.el('audience', info.audience);
  for (const pair of info.eventCode) writePair(w, 'eventCode', pair);
  w.el('effective', info.effective);
  w.el('onset', info.onset);
  w.el('expires', info.expires);
  w.el('senderName', info.senderName);
  w.el('headline', info.headline);
  w.el('description', info.description);
  w.el('instruction', info.instruction);
  w.el('web', info.web);
  w.el('contact', info.contact);
  for (const pair of info.parameter) writePair(w, 'parameter', pair);
  for (const resource of info.resource) writeResource(w, resource);
  for (const area of info.area) writeArea(w, area);
  parent.close('info');
}

function writeResource(parent: Writer, resource: Resource): void {
  const w = parent.open('resource');
  w.el('resourceDesc', resource.resourceDesc, true);
  w.el('mimeType', resource.mimeType, true);
  w.el('size', resource.size === undefined ? undefined : String(resource.size));
  w.el('uri', resource.uri);
  w.el('derefUri', resource.derefUri);
  w.el('digest', resource.digest);
  parent.close('resource');
}

function writeArea(parent: Writer, area: Area): void {
  const w = parent.open('area');
  w.el('areaDesc', area.areaDesc, true);
  for (const polygon of area.polygon) w.el('polygon', polygon, true);
  for (const circle of area.circle) w.el('circle', circle, true);
  for (const pair of area.geocode) writePair(w, 'geocode', pair);
  w.el('altitude', area.altitude === undefined ? undefined : String(area.altitude));
  w.el('ceiling', area.ceiling === undefined ? undefined : String(area.ceiling));
  parent.close('area');
}

function writePair(parent: Writer, name: string, pair: ValuePair): void {
  const w = parent.open(name);
  w.el('valueName', pair.valueName, true);
  w.el('value', pair.value, true);
  parent.close(name);
}

class Writer {
  constructor(
    private readonly out: string[],
    private readonly depth: number,
  ) {}

  private get indent(): string {
    return '  '.repeat(this.depth);
  }

  /** A simple element; `required` ones are written even when empty, so the schema reports them. */
  el(name: string, value: string | undefined, required = false): void {
    if (value === undefined || (value === '' && !required)) return;
    this.out.push(`${this.indent}<${name}>${escapeXmlText(value)}</${name}>`);
  }

  open(name: string): Writer {
    this.out.push(`${this.indent}<${name}>`);
    return new Writer(this.out, this.depth + 1);
  }

  close(name: string): void {
    this.out.push(`${this.indent}</${name}>`);
  }
}

// XML 1.0 §2.2 Char: tab, LF, CR and U+0020 upward, less the surrogates (paired ones are fine) and U+FFFE/U+FFFF.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export class XmlCharacterError extends Error {
  override name = 'XmlCharacterError';
}

/** Text and attribute-value escaping; refuses characters XML 1.0 cannot carry rather than dropping them. */
export function escapeXmlText(value: string): string {
  const bad = NOT_XML_CHAR.exec(value);
  if (bad) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw new XmlCharacterError(`U+${code} cannot appear in an XML document`);
  }
  return value.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}
