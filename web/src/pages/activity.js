// Activity, for admins: the audit trail in plain words — who logged in, and who changed what (people,
// photos, visitors, corrections, rules, logins, backups) from where, newest first; filtered by what it
// was about and by dates, paged by id.
import { useState } from "preact/hooks";
import { api } from "../api.js";
import { localMidnight, when } from "../format.js";
import { html, usePoll } from "../ui.js";

const pageSize = 30;

const topics = [
  ["", "everything"],
  ["login", "logins"],
  ["person", "people"],
  ["sample", "photos"],
  ["visitor", "visitors"],
  ["face", "corrections"],
  ["rule", "notification rules"],
  ["user", "app users"],
  ["database", "backups"],
];

// "renamed Sam Smith (was Sam)": what happened, to what, in words.
const verbs = {
  "login.succeeded": "logged in",
  "login.failed": "failed to log in as",
  "login.locked": "locked out logins after wrong passwords for",
  "login.ended": "logged out",
  "user.added": "added the app user",
  "user.removed": "removed the app user",
  "user.role_changed": "changed the role of",
  "user.password_changed": "changed the password of",
  "person.created": "added",
  "person.renamed": "renamed",
  "person.moved": "moved",
  "person.removed": "removed",
  "sample.added": "added photos of",
  "sample.removed": "removed a photo of",
  "visitor.named": "named",
  "visitor.ignored": "ignored",
  "visitor.unignored": "stopped ignoring",
  "visitor.merged": "merged into",
  "visitor.split": "split a face into a visitor of its own",
  "visitor.deleted": "deleted",
  "face.identified": "identified a face:",
  "face.rejected": "corrected a face:",
  "rule.changed": "changed the notification rule",
  "rule.removed": "removed the notification rule",
  "database.backup": "backed up",
  "database.restored": "restored",
  "config.reloaded": "reloaded the configuration",
};

function actorName(actor) {
  if (actor.kind === "cli") return `${actor.name.replace(/^cli:/, "")} (command line)`;
  if (actor.kind === "system") return "doorbelld";
  if (actor.kind === "anonymous") return "Someone";
  return actor.name;
}

function Entry({ entry }) {
  const { actor, object } = entry;
  const verb = verbs[entry.action] ?? entry.action;
  // The face's id says nothing to a household, nor does "Dana logged in Dana".
  const hidden = entry.action.startsWith("face.") || ["visitor.split", "login.succeeded", "login.ended"].includes(entry.action);
  const objectShown = hidden ? "" : object.name;
  return html`
    <li>
      <span class="what"><strong>${actorName(actor)}</strong> ${verb} ${objectShown && html`<strong class="name">${objectShown}</strong>`}
        ${entry.detail && html` <span class="detail">(${entry.detail})</span>`}</span>
      <span class="where">${actor.address && `from ${actor.address}`}${entry.door && ` · ${entry.door}`}</span>
      <time datetime=${entry.time}>${when(entry.time)}</time>
    </li>`;
}

function query(filter, before) {
  const q = new URLSearchParams({ limit: String(pageSize) });
  if (filter.topic) q.set("action", filter.topic);
  if (filter.since) q.set("since", localMidnight(filter.since));
  if (filter.until) q.set("until", localMidnight(filter.until, 1));
  if (before) q.set("before", String(before));
  return `/api/audit?${q}`;
}

export function ActivityPage() {
  const [filter, setFilter] = useState({ topic: "", since: "", until: "" });
  // Older pages once asked for, by id; the newest page is polled. Merged by id, newest first, so a new
  // entry moving the newest page along loses nothing in between.
  const [older, setOlder] = useState({ entries: [], more: undefined });
  const key = JSON.stringify(filter);
  const { data, error } = usePoll(() => api.get(query(filter)), 10000, [key]);
  const [failure, setFailure] = useState("");
  const byId = new Map([...older.entries, ...(data?.entries ?? [])].map((e) => [e.id, e]));
  const shown = [...byId.values()].sort((a, b) => b.id - a.id);
  const more = older.more ?? Boolean(data?.next);
  const change = (field) => (e) => {
    setOlder({ entries: [], more: undefined });
    setFilter({ ...filter, [field]: e.currentTarget.value });
  };
  const loadOlder = async () => {
    try {
      const page = await api.get(query(filter, shown[shown.length - 1].id));
      setOlder((o) => ({ entries: [...o.entries, ...page.entries], more: Boolean(page.next) }));
    } catch (e) {
      setFailure(e.message);
    }
  };
  return html`
    <section class="activity">
      <h2>Activity</h2>
      <p>Who logged in, and who changed what — kept for as long as audit.keep_days says (a year unless set).</p>
      <form class="filters" onSubmit=${(e) => e.preventDefault()}>
        <label>About <select value=${filter.topic} onChange=${change("topic")}>
          ${topics.map(([value, words]) => html`<option value=${value}>${words}</option>`)}
        </select></label>
        <label>From <input type="date" value=${filter.since} onChange=${change("since")} /></label>
        <label>To <input type="date" value=${filter.until} onChange=${change("until")} /></label>
      </form>
      ${(error || failure) && html`<p class="error">${error?.message ?? failure}</p>`}
      ${data && shown.length === 0 && html`<p>Nothing recorded${filter.topic || filter.since || filter.until ? " matches" : " yet"}.</p>`}
      <ul class="audit">${shown.map((e) => html`<${Entry} key=${e.id} entry=${e} />`)}</ul>
      ${more && shown.length > 0 && html`<button onClick=${loadOlder}>Older activity</button>`}
    </section>`;
}
