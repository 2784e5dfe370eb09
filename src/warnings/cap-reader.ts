import type { Alert, Area, Info, Resource, ValuePair } from './model.js';
import type { CapElement } from './xml-read.js';

/**
 * The typed alert of a message's element tree. Meant for messages that passed validation (validate.ts);
 * on others it still returns what is there, with missing text as "" and enumerations unchecked.
 */
export function alertFromElement(alert: CapElement): Alert {
  const r = reader(alert);
  return {
    identifier: r.text('identifier'),
    sender: r.text('sender'),
    sent: r.text('sent'),
    status: r.text('status') as Alert['status'],
    msgType: r.text('msgType') as Alert['msgType'],
    ...r.optional('source'),
    scope: r.text('scope') as Alert['scope'],
    ...r.optional('restriction'),
    ...r.optional('addresses'),
    code: r.texts('code'),
    ...r.optional('note'),
    ...r.optional('references'),
    ...r.optional('incidents'),
    info: r.all('info').map(infoFromElement),
  };
}

function infoFromElement(info: CapElement): Info {
  const r = reader(info);
  return {
    ...r.optional('language'),
    category: r.texts('category') as Info['category'],
    event: r.text('event'),
    responseType: r.texts('responseType') as Info['responseType'],
    urgency: r.text('urgency') as Info['urgency'],
    severity: r.text('severity') as Info['severity'],
    certainty: r.text('certainty') as Info['certainty'],
    ...r.optional('audience'),
    eventCode: r.all('eventCode').map(pairFromElement),
    ...r.optional('effective'),
    ...r.optional('onset'),
    ...r.optional('expires'),
    ...r.optional('senderName'),
    ...r.optional('headline'),
    ...r.optional('description'),
    ...r.optional('instruction'),
    ...r.optional('web'),
    ...r.optional('contact'),
    parameter: r.all('parameter').map(pairFromElement),
    resource: r.all('resource').map(resourceFromElement),
    area: r.all('area').map(areaFromElement),
  };
}

function resourceFromElement(resource: CapElement): Resource {
  const r = reader(resource);
  const size = r.number('size');
  return {
    resourceDesc: r.text('resourceDesc'),
    mimeType: r.text('mimeType'),
    ...(size === undefined ? {} : { size }),
    ...r.optional('uri'),
    ...r.optional('derefUri'),
    ...r.optional('digest'),
  };
}

function areaFromElement(area: CapElement): Area {
  const r = reader(area);
  const altitude = r.number('altitude');
  const ceiling = r.number('ceiling');
  return {
    areaDesc: r.text('areaDesc'),
    polygon: r.texts('polygon'),
    circle: r.texts('circle'),
    geocode: r.all('geocode').map(pairFromElement),
    ...(altitude === undefined ? {} : { altitude }),
    ...(ceiling === undefined ? {} : { ceiling }),
  };
}

function pairFromElement(pair: CapElement): ValuePair {
  const r = reader(pair);
  return { valueName: r.text('valueName'), value: r.text('value') };
}

function reader(el: CapElement) {
  const all = (name: string): CapElement[] => el.children.filter((c) => c.name === name);
  // Free text (description, instruction) keeps its inner line breaks; only the ends are trimmed.
  const text = (name: string): string => all(name)[0]?.text.trim() ?? '';
  return {
    all,
    text,
    texts: (name: string): string[] => all(name).map((c) => c.text.trim()),
    optional: <K extends string>(name: K): Partial<Record<K, string>> => {
      const v = text(name);
      return v === '' ? {} : ({ [name]: v } as Record<K, string>);
    },
    number: (name: string): number | undefined => {
      const v = text(name);
      return v === '' || Number.isNaN(Number(v)) ? undefined : Number(v);
    },
  };
}
