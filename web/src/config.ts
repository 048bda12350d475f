/** What `config.json`, served next to the app, tells it: where the API is and how to sign in. */
export interface AppConfig {
  /** Base URL of the API; empty when the API is served from the same origin (the local runtime). */
  apiUrl: string;
  /** Cognito hosted UI (AWS); absent locally, where the user pastes a token instead. */
  cognito?: { domain: string; clientId: string; redirectUri?: string };
}

export const loadConfig = async (): Promise<AppConfig> => {
  try {
    const res = await fetch('config.json', { cache: 'no-store' });
    if (!res.ok) return { apiUrl: '' };
    const body = (await res.json()) as Partial<AppConfig>;
    return {
      apiUrl: (body.apiUrl ?? '').replace(/\/$/, ''),
      ...(body.cognito ? { cognito: body.cognito } : {}),
    };
  } catch {
    return { apiUrl: '' };
  }
};
