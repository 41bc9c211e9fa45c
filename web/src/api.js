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
  const json = text ? JSON.parse(text) : {};
  if (!response.ok) {
    const error = json.error ?? {};
    throw new ApiError(response.status, error.message ?? `${method} ${path}: HTTP ${response.status}`, error.code);
  }
  return json;
}

export const api = {
  get: (path) => call("GET", path),
  post: (path, body) => call("POST", path, body),
  patch: (path, body) => call("PATCH", path, body),
  del: (path) => call("DELETE", path),
};
