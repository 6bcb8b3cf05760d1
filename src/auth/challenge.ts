/** The parameters of a `WWW-Authenticate: Bearer …` challenge (RFC 6750 §3, RFC 9728 §5.1). */
export interface BearerChallenge {
  realm?: string | undefined;
  /** Absolute URL of the protected-resource metadata. */
  resourceMetadata?: string | undefined;
  /** Space-separated scopes that would suffice. */
  scope?: string | undefined;
  error?: "invalid_request" | "invalid_token" | "insufficient_scope" | undefined;
  errorDescription?: string | undefined;
}

/** quoted-string content: anything but printable ASCII removed (no header injection, nothing Node refuses), then `\` and `"` escaped. */
function quote(value: string): string {
  return `"${value.replace(/[^\x20-\x7e]/g, "").replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** `Bearer realm="…", resource_metadata="…", scope="…", error="…", error_description="…"`, absent parameters left out. */
export function bearerChallenge(challenge: BearerChallenge): string {
  const params: Array<[string, string | undefined]> = [
    ["realm", challenge.realm],
    ["resource_metadata", challenge.resourceMetadata],
    ["scope", challenge.scope],
    ["error", challenge.error],
    ["error_description", challenge.errorDescription],
  ];
  const parts = params.filter((entry): entry is [string, string] => entry[1] !== undefined).map(([key, value]) => `${key}=${quote(value)}`);
  return parts.length === 0 ? "Bearer" : `Bearer ${parts.join(", ")}`;
}
