import districtJson from './district.json' with { type: 'json' };

/** The administrative units this deployment serves (edit the JSON file). */
export const district: { district: string; province: string; communes: readonly string[] } = districtJson;
