import * as z from 'zod';
import type { SuggestionSettings } from '../../../forecast/domain/reallocation-suggestions.ts';
import { parseConfigFile } from '../config-file.ts';
import settingsFile from './reallocation-suggestions.json' with { type: 'json' };

/** The shape of the suggestion settings file; a broken file stops the deployment at load, naming the field. */
const SettingsDocument = z.strictObject({
  source: z.string().min(1, 'must say where the settings come from'),
  unitVnd: z
    .int('must be a whole number of đồng')
    .min(1, 'must be at least 1 đồng')
    .max(1_000_000_000, 'must be at most 1,000,000,000 đồng'),
  sourcePercentile: z.enum(
    ['p50', 'p90'],
    'must be "p50" (the central forecast) or "p90" (what even the optimistic end leaves unspent)',
  ),
});

/** Parses a suggestion settings document, or throws naming the file, the field and what to fix. */
export const loadSuggestionSettings = (
  json: unknown,
  file = 'reallocation-suggestions.json',
): SuggestionSettings => {
  const { source: _, ...settings } = parseConfigFile(
    SettingsDocument,
    json,
    `reallocation suggestion settings ${file}`,
  );
  return settings;
};

/** How reallocation suggestions are sized (edit reallocation-suggestions.json of this folder), checked at load. */
export const suggestionSettings: SuggestionSettings = loadSuggestionSettings(settingsFile);
