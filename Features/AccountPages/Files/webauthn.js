// WebAuthn's JSON form: the server sends options with binary fields as base64url strings and wants the browser's
// credential back the same way. Browsers work with ArrayBuffers; these functions translate both ways.

export function base64urlToBuffer(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

export function bufferToBase64url(buffer) {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Options for navigator.credentials.create from the server's JSON creation options. */
export function creationOptions(json) {
  const options = withoutNulls(json);
  return {
    ...options,
    challenge: base64urlToBuffer(options.challenge),
    user: { ...options.user, id: base64urlToBuffer(options.user.id) },
    excludeCredentials: (options.excludeCredentials ?? []).map(descriptor),
  };
}

/** Options for navigator.credentials.get from the server's JSON assertion options. */
export function requestOptions(json) {
  const options = withoutNulls(json);
  return {
    ...options,
    challenge: base64urlToBuffer(options.challenge),
    allowCredentials: (options.allowCredentials ?? []).map(descriptor),
  };
}

/** A new credential (navigator.credentials.create) as JSON, the attestation response the server verifies. */
export function attestationJson(credential) {
  const response = credential.response;
  return {
    id: credential.id,
    rawId: bufferToBase64url(credential.rawId),
    type: credential.type,
    response: {
      attestationObject: bufferToBase64url(response.attestationObject),
      clientDataJSON: bufferToBase64url(response.clientDataJSON),
      transports: typeof response.getTransports === 'function' ? response.getTransports() : [],
    },
    clientExtensionResults: credential.getClientExtensionResults(),
  };
}

/** A signature (navigator.credentials.get) as JSON, the assertion response the server verifies. */
export function assertionJson(credential) {
  const response = credential.response;
  return {
    id: credential.id,
    rawId: bufferToBase64url(credential.rawId),
    type: credential.type,
    response: {
      authenticatorData: bufferToBase64url(response.authenticatorData),
      clientDataJSON: bufferToBase64url(response.clientDataJSON),
      signature: bufferToBase64url(response.signature),
      userHandle: response.userHandle ? bufferToBase64url(response.userHandle) : null,
    },
    clientExtensionResults: credential.getClientExtensionResults(),
  };
}

/** What a refused or cancelled ceremony means, in words (the browser's DOMException names). */
export function ceremonyError(error) {
  switch (error?.name) {
    case 'NotAllowedError':
      return 'The passkey request was cancelled or timed out, or this device has no passkey for this site.';
    case 'InvalidStateError':
      return 'This device already holds a passkey for your account.';
    case 'SecurityError':
      return 'This address cannot use passkeys (the server\'s Passkeys settings must name this site).';
    case 'NotSupportedError':
      return 'This device supports none of the passkey types the server accepts.';
    default:
      return `The passkey request failed: ${error?.message ?? String(error)}`;
  }
}

export function passkeysSupported() {
  return typeof window.PublicKeyCredential === 'function' && typeof navigator.credentials?.create === 'function';
}

function descriptor(credential) {
  return { ...credential, id: base64urlToBuffer(credential.id) };
}

// The server's JSON may carry nulls for options it leaves unset; the browser wants them absent.
function withoutNulls(value) {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}
