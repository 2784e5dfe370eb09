/** What the OSM readers (PBF, XML, GeoJSON) hand to the graph builder, element by element. */
export type Tags = Record<string, string>;

export interface OsmMember {
  type: 'node' | 'way' | 'relation';
  ref: number;
  role: string;
}

export interface OsmSink {
  /** `tags` only when the node has some (most nodes are bare geometry). */
  node(id: number, lon: number, lat: number, tags?: Tags): void;
  way(id: number, refs: number[], tags: Tags): void;
  relation(id: number, members: OsmMember[], tags: Tags): void;
}

/** Byte-level progress of a reader: how far into the input it is. */
export type ReadProgress = (done: number, total: number) => void;

/** The input is not a well-formed road data file; the message says where and why. */
export class RoadDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RoadDataError';
  }
}
