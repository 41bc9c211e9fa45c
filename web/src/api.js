// The daemon's JSON API as the app uses it: same-origin requests with the session cookie, the session's
// CSRF token on every request that changes state, and errors turned into ApiError with the server's text.
export class ApiError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let csrfToken = "";

// Dispatched on window when the daemon no longer knows this browser's session.
export const signedOutEvent = "doorbell:signed-out";

export function rememberSession(session) {
  csrfToken = session?.csrf_token ?? "";
}

async function call(method, path, body) {
  const headers = {};
  if (method !== "GET") headers["X-CSRF-Token"] = csrfToken;
  if (body !== undefined && !(body instanceof FormData)) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined || body instanceof FormData ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json = {};
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    if (response.ok) throw new ApiError(response.status, `${method} ${path}: not JSON`);
  }
  if (!response.ok) {
    // A session that ended (logged out elsewhere, expired, the user removed): back to the login form.
    if (response.status === 401 && path !== "/api/login") dispatchEvent(new Event(signedOutEvent));
    const error = json.error ?? {};
    throw new ApiError(response.status, error.message ?? `${method} ${path}: HTTP ${response.status}`, error.code);
  }
  return json;
}

export const api = {
  get: (path) => call("GET", path),
  post: (path, body) => call("POST", path, body),
  patch: (path, body) => call("PATCH", path, body),
  put: (path, body) => call("PUT", path, body),
  del: (path) => call("DELETE", path),
};
