/**
 * The name part of a Host header or a configured host, as compared by the Host allow-list:
 * lower case, without the port; an IPv6 address in brackets ("[::1]"), as a Host header carries it.
 */
export function hostNameOf(value: string): string {
  const host = value.trim().toLowerCase();
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1) || host;
  const colons = host.split(':').length - 1;
  if (colons === 1) return host.slice(0, host.indexOf(':'));
  return colons > 1 ? `[${host}]` : host;
}
