import type { BuyerCall } from '@pingtree/contracts';

/** The channel's credentials, which may appear in a request body (an api key sent as a field). */
export function callSecrets(call: BuyerCall): string[] {
  const secrets: string[] = [];
  if (call.auth?.type === 'basic') secrets.push(call.auth.password);
  if (call.auth?.type === 'bearer') secrets.push(call.auth.token);
  if (call.auth?.type === 'api_key') secrets.push(call.auth.value);
  if (call.signature) secrets.push(call.signature.secret);
  return secrets.filter((s) => s.length >= 4);
}

/** What the trail may keep of a request we sent: the body with every credential blanked out. */
export function redactSecrets(text: string, call: BuyerCall): string {
  return callSecrets(call).reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}
