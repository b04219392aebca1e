// What the example's server tells the page (in a JSON script element, so the page's CSP needs no
// inline script): the SDK configuration without secrets, and the scope to ask for.
import type { ClientConfig } from '@gatehouse/client';

export interface PageConfig {
  client: Pick<ClientConfig, 'baseUrl' | 'issuer' | 'requireIss' | 'clientId' | 'redirectUri' | 'endpoints'>;
  scope: string;
  /** The tenant whose host the sign-in happens on, if one was configured. */
  tenant?: string;
}

export const CONFIG_ELEMENT_ID = 'config';

/** Reads the configuration the server put into the page. */
export function readPageConfig(doc: Document): PageConfig {
  const text = doc.getElementById(CONFIG_ELEMENT_ID)?.textContent;
  if (!text) throw new Error('the page has no configuration');
  return JSON.parse(text) as PageConfig;
}
