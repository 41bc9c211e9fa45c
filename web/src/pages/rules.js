// Who is told about a person, about strangers or about the blacklist: which channels, quiet hours, a
// snooze. Quiet hours and snoozes hold back only someone waiting at the door: a ring is always told, and
// the blacklist is never silenced.
import { useEffect, useState } from "preact/hooks";
import { api } from "../api.js";
import { when } from "../format.js";
import { html, usePoll } from "../ui.js";

// An ISO time `hours` from now, or at 08:00 tomorrow (local).
function later(hours) {
  const t = new Date();
  if (hours) {
    t.setHours(t.getHours() + hours);
  } else {
    t.setDate(t.getDate() + 1);
    t.setHours(8, 0, 0, 0);
  }
  return t.toISOString();
}

function summary(rule, silenceable) {
  if (!rule) return "Told on every channel.";
  const parts = [rule.channels ? `Told on ${rule.channels.join(" and ")}` : "Told on every channel"];
  if (silenceable && rule.quiet_hours) parts.push(`quiet ${rule.quiet_hours} when only waiting at the door`);
  if (silenceable && rule.snooze_until && new Date(rule.snooze_until) > new Date()) parts.push(`snoozed until ${when(rule.snooze_until)}`);
  return `${parts.join("; ")}.`;
}

// `silenceable`: false for the blacklist (channels only).
export function RuleEditor({ subject, title, admin, silenceable = true }) {
  const { data, error, reload } = usePoll(() => api.get("/api/notify/rules"), 30000);
  const rule = data?.rules.find((r) => r.subject === subject);
  const channels = data?.channels ?? [];
  const [chosen, setChosen] = useState([]);
  const [quiet, setQuiet] = useState({ from: "", to: "" });
  const [failure, setFailure] = useState("");
  useEffect(() => {
    setChosen(rule?.channels ?? channels);
    const [from = "", to = ""] = (rule?.quiet_hours ?? "").split("-");
    setQuiet({ from, to });
  }, [JSON.stringify(rule), channels.join()]);
  if (error) return html`<p class="error">${error.message}</p>`;
  if (!data) return null;
  if (!channels.length) return html`<section class="card"><h3>${title}</h3><p>No notification channel is configured.</p></section>`;

  const put = async (body) => {
    try {
      await api.put(`/api/notify/rules/${subject}`, body);
      setFailure("");
      reload();
    } catch (e) {
      setFailure(e.message);
    }
  };
  // The form's channels and quiet hours, the snooze as stored.
  const save = () => put({
    channels: chosen.length === channels.length ? null : chosen,
    quiet_hours: silenceable && quiet.from && quiet.to ? `${quiet.from}-${quiet.to}` : "",
    snooze_until: silenceable ? rule?.snooze_until ?? "" : "",
  });
  // The stored rule with another snooze (what the form holds unsaved stays unsaved).
  const snooze = (until) => () => put({ channels: rule?.channels ?? null, quiet_hours: rule?.quiet_hours ?? "", snooze_until: until });
  const toggle = (name) => (e) => setChosen(e.currentTarget.checked ? [...chosen, name] : chosen.filter((c) => c !== name));
  const snoozed = silenceable && rule?.snooze_until && new Date(rule.snooze_until) > new Date();
  return html`
    <section class="card rule">
      <h3>${title}</h3>
      <p>${summary(rule, silenceable)}</p>
      ${admin && html`
        <form class="inline" onSubmit=${(e) => { e.preventDefault(); save(); }}>
          <fieldset><legend>Tell on</legend>
            ${channels.map((c) => html`<label class="check"><input type="checkbox" checked=${chosen.includes(c)} onChange=${toggle(c)} /> ${c}</label>`)}
          </fieldset>
          ${silenceable && html`
            <label>Quiet from <input type="time" value=${quiet.from} onInput=${(e) => setQuiet({ ...quiet, from: e.currentTarget.value })} /></label>
            <label>to <input type="time" value=${quiet.to} onInput=${(e) => setQuiet({ ...quiet, to: e.currentTarget.value })} /></label>`}
          <button type="submit">Save</button>
        </form>
        ${silenceable && html`
          <p class="snooze">${snoozed
            ? html`<button onClick=${snooze("")}>Stop snoozing</button>`
            : html`<button onClick=${() => snooze(later(1))()}>Snooze 1 hour</button>
                <button onClick=${() => snooze(later(0))()}>Snooze until tomorrow 8:00</button>`}
            <span class="muted"> Waiting at the door only: a ring is always told.</span></p>`}`}
      ${failure && html`<p class="error" role="alert">${failure}</p>`}
    </section>`;
}
