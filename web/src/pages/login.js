// The login form: a name and a password for POST /api/login; the daemon sets the session cookie.
import { useState } from "preact/hooks";
import { api } from "../api.js";
import { html } from "../ui.js";

export function LoginPage({ onLogin }) {
  const [user, setUser] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setError("");
    try {
      onLogin(await api.post("/api/login", { user, password }));
    } catch (e) {
      setError(e.code === "wrong_password" ? "That name and password do not match." : e.message);
    } finally {
      setBusy(false);
    }
  };

  return html`
    <main class="login">
      <h1>doorbelld</h1>
      <form onSubmit=${submit}>
        <label>Name <input name="user" autocomplete="username" required value=${user}
          onInput=${(e) => setUser(e.currentTarget.value)} /></label>
        <label>Password <input name="password" type="password" autocomplete="current-password" required
          value=${password} onInput=${(e) => setPassword(e.currentTarget.value)} /></label>
        ${error && html`<p class="error" role="alert">${error}</p>`}
        <button type="submit" disabled=${busy}>Log in</button>
      </form>
    </main>`;
}
