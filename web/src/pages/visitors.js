// Familiar faces: every stranger seen at the door, grouped by face into visitors ("Visitor 7, seen 5
// times"); searchable by date. One visitor's page: their faces, and (admins) naming them, ignoring them
// (the postman), merging two visitors that are one person, taking a wrong face out, deleting them.
import { useState } from "preact/hooks";
import { api } from "../api.js";
import { localMidnight, visits, when } from "../format.js";
import { html, useChanges, usePoll } from "../ui.js";
import { RuleEditor } from "./rules.js";

function query(filter) {
  const q = new URLSearchParams({ limit: "200" });
  if (filter.since) q.set("since", localMidnight(filter.since));
  if (filter.until) q.set("until", localMidnight(filter.until, 1));
  if (filter.ignored) q.set("ignored", filter.ignored);
  return `/api/visitors?${q}`;
}

function VisitorCard({ visitor }) {
  return html`
    <li><a href=${`#/visitors/${visitor.id}`}>
      ${visitor.image ? html`<img loading="lazy" src=${visitor.image} alt="" />` : html`<span class="noimage"></span>`}
      <strong class="name">${visitor.name}</strong>
      ${visitor.ignored && html`<span class="kind">Ignored</span>`}
      <span class="count">${visits(visitor.seen)}, last ${when(visitor.last_seen)}</span>
    </a></li>`;
}

export function VisitorsPage({ session }) {
  const [filter, setFilter] = useState({ since: "", until: "", ignored: "" });
  const { data, error } = usePoll(() => api.get(query(filter)), 10000, [JSON.stringify(filter)]);
  const change = (field) => (e) => setFilter({ ...filter, [field]: e.currentTarget.value });
  const visitors = data?.visitors ?? [];
  return html`
    <section class="visitors">
      <h2>Visitors</h2>
      <p class="muted">Strangers seen at the door, grouped by face. Name one to have them recognised from
        now on; ignore one (the postman) to hear no more about them.</p>
      <form class="filters" onSubmit=${(e) => e.preventDefault()}>
        <label>Seen from <input type="date" value=${filter.since} onChange=${change("since")} /></label>
        <label>To <input type="date" value=${filter.until} onChange=${change("until")} /></label>
        <label>Show <select value=${filter.ignored} onChange=${change("ignored")}>
          <option value="">all</option>
          <option value="false">not ignored</option>
          <option value="true">ignored</option>
        </select></label>
      </form>
      ${error && html`<p class="error">${error.message}</p>`}
      ${data && !visitors.length && html`<p>No stranger${filter.since || filter.until || filter.ignored ? " matches" : " has been seen yet"}.</p>`}
      <ul class="people">${visitors.map((v) => html`<${VisitorCard} key=${v.id} visitor=${v} />`)}</ul>
      <${RuleEditor} subject="unknown" title="Notifications about strangers" admin=${session.role === "admin"} />
    </section>`;
}

function NameVisitor({ visitor }) {
  const [name, setName] = useState("");
  const [kind, setKind] = useState("known");
  const [error, setError] = useState("");
  const submit = async (event) => {
    event.preventDefault();
    try {
      const named = await api.post(`/api/visitors/${visitor.id}/name`, { name, kind });
      location.hash = `#/people/${named.person.id}`;
    } catch (e) {
      setError(e.message);
    }
  };
  return html`
    <form class="inline" onSubmit=${submit}>
      <label>This is <input required maxlength="64" value=${name} onInput=${(e) => setName(e.currentTarget.value)} /></label>
      <label>List <select value=${kind} onChange=${(e) => setKind(e.currentTarget.value)}>
        <option value="known">Known</option>
        <option value="blacklist">Blacklist</option>
      </select></label>
      <button type="submit">Name ${visitor.name}</button>
      ${error && html`<span class="error" role="alert">${error}</span>`}
    </form>`;
}

function MergeVisitor({ visitor, onDone }) {
  const others = usePoll(() => api.get("/api/visitors?limit=200"), 30000).data?.visitors.filter((v) => v.id !== visitor.id) ?? [];
  const [from, setFrom] = useState("");
  const [error, setError] = useState("");
  const submit = async (event) => {
    event.preventDefault();
    try {
      await api.post(`/api/visitors/${visitor.id}/merge`, { from: Number(from) });
      setError("");
      setFrom("");
      onDone();
    } catch (e) {
      setError(e.message);
    }
  };
  if (!others.length) return null;
  return html`
    <form class="inline" onSubmit=${submit}>
      <label>The same person as <select required value=${from} onChange=${(e) => setFrom(e.currentTarget.value)}>
        <option value="">choose a visitor</option>
        ${others.map((v) => html`<option value=${v.id}>${v.name} (${visits(v.seen)})</option>`)}
      </select></label>
      <button type="submit">Merge</button>
      ${error && html`<span class="error" role="alert">${error}</span>`}
    </form>`;
}

export function VisitorPage({ id, session }) {
  const { data: visitor, error, reload } = usePoll(() => api.get(`/api/visitors/${id}`), 10000, [id]);
  const [failure, attempt, setFailure] = useChanges(reload);
  const [deleting, setDeleting] = useState(false);
  const admin = session.role === "admin";
  if (error) return html`<p class="error">${error.status === 404 ? `No visitor ${id} (named, merged or expired). ` : error.message}
    <a href="#/visitors">Visitors</a></p>`;
  if (!visitor) return html`<p>Loading…</p>`;
  const ignore = attempt(() => api.patch(`/api/visitors/${visitor.id}`, { ignored: !visitor.ignored }));
  const splitOut = (face) => attempt(() => api.post(`/api/faces/${face.id}/identity`, { visitor: "new" }));
  const remove = async () => {
    try {
      await api.del(`/api/visitors/${visitor.id}`);
      location.hash = "#/visitors";
    } catch (e) {
      setFailure(e.message);
    }
  };
  return html`
    <article class="visitor-page">
      <p><a href="#/visitors">← Visitors</a></p>
      <h2>${visitor.name} ${visitor.ignored && html`<span class="kind">Ignored</span>`}</h2>
      <p>${visits(visitor.seen)}: first ${when(visitor.first_seen)}, last ${when(visitor.last_seen)}.
        <a href=${`#/timeline/visitor/${visitor.id}`}>Every visit</a></p>
      <ul class="samples">
        ${visitor.face_list.map((f) => html`
          <li key=${f.id}>
            <img src=${f.image} alt=${`${visitor.name}, face ${f.id}`} />
            ${f.event_id ? html`<a href=${`#/events/${f.event_id}`}>${when(f.time)}</a>` : html`<span class="count">visit deleted</span>`}
            ${admin && visitor.face_list.length > 1 && html`<button class="link" onClick=${splitOut(f)}
              aria-label=${`Face ${f.id} is someone else`}>Someone else</button>`}
          </li>`)}
      </ul>
      ${failure && html`<p class="error" role="alert">${failure}</p>`}
      ${admin && html`
        <div class="card">
          <${NameVisitor} visitor=${visitor} />
          <p><button onClick=${ignore}>${visitor.ignored ? "Stop ignoring" : "Ignore"} ${visitor.name}</button>
            <span class="muted">${visitor.ignored ? " Rings by them are told; waiting at the door is not." : " Never notified as a stranger, never taken for someone you know."}</span></p>
          <${MergeVisitor} visitor=${visitor} onDone=${reload} />
          ${deleting
            ? html`<p role="alert">Delete ${visitor.name} and their ${visitor.faces} faces? The visits stay.
                <button class="danger" onClick=${remove}>Yes, delete</button>
                <button class="link" onClick=${() => setDeleting(false)}>Keep</button></p>`
            : html`<button class="danger" onClick=${() => setDeleting(true)}>Delete ${visitor.name}…</button>`}
        </div>`}
    </article>`;
}
