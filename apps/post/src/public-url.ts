/** The gateway's public base URL, for the callback URLs we hand to buyers with async posts. */
export const PUBLIC_URL = Symbol('PUBLIC_URL');
