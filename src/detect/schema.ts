/** An organisation's detector settings (the JSON list `parseDetectorSettings` validates), versioned. */
export interface DetectorSettingsTable {
  org_id: string;
  settings: string;
  version: number;
  updated_at: number;
  updated_by: string | null;
}

/** Trained SCADA models, per organisation and name; every upload or training adds a version. */
export interface DetectorModelTable {
  id: string;
  org_id: string;
  name: string;
  version: number;
  fingerprint: string;
  model: string;
  created_at: number;
  created_by: string | null;
}

declare module '../kernel/db/schema.js' {
  interface Database {
    detector_settings: DetectorSettingsTable;
    detector_models: DetectorModelTable;
  }
}
