// The timeline: every ring, newest first, with its snapshot; filtered by kind, person and dates, paged by
// id so an older page costs the same with 100,000 events.
import { useState } from "preact/hooks";
import { api } from "../api.js";
import { eventKinds, kindLabel, visitorName, when } from "../format.js";
import { html, usePoll } from "../ui.js";

const pageSize = 20;

function query(filter, before) {
  const q = new URLSearchParams({ limit: String(pageSize) });
  if (filter.kind) q.set("kind", filter.kind);
  if (filter.person) q.set("person", filter.person);
  if (filter.since) q.set("since", filter.since);
  if (filter.until) q.set("until", `${filter.until}T23:59:59`);
  if (before) q.set("before", String(before));
  return `/api/events?${q}`;
}

function EventRow({ event }) {
  return html`
    <li>
      <a href=${`#/events/${event.id}`}>
        ${event.snapshot ? html`<img loading="lazy" src=${`/api/events/${event.id}/snapshot.jpg`} alt="" />` : html`<span class="noimage"></span>`}
        <span class="what"><strong class="name">${visitorName(event)}</strong>
          <span class=${`kind ${event.kind}`}>${kindLabel(event.kind)}</span></span>
        <time datetime=${event.time}>${when(event.time)}</time>
      </a>
    </li>`;
}

export function TimelinePage() {
  const [filter, setFilter] = useState({ kind: "", person: "", since: "", until: "" });
  const people = usePoll(() => api.get("/api/people"), 60000).data?.people ?? [];
  const [older, setOlder] = useState({ events: [], more: true, error: "" });
  // The first page follows new rings; older pages are fetched once, when asked for.
  const first = usePoll(() => api.get(query(filter)), 1500, [filter.kind, filter.person, filter.since, filter.until]);
  const newest = first.data?.events ?? [];
  const shown = [...newest, ...older.events.filter((e) => !newest.some((n) => n.id === e.id))];
  const more = older.events.length ? older.more : newest.length === pageSize;

  const change = (key) => (e) => {
    setFilter({ ...filter, [key]: e.currentTarget.value });
    setOlder({ events: [], more: true, error: "" });
  };
  const loadOlder = async () => {
    try {
      const page = await api.get(query(filter, shown[shown.length - 1].id));
      setOlder({ events: [...older.events, ...page.events], more: page.events.length === pageSize, error: "" });
    } catch (e) {
      setOlder({ ...older, error: e.message });
    }
  };

  return html`
    <section class="timeline">
      <h2>Timeline</h2>
      <form class="filters" onSubmit=${(e) => e.preventDefault()}>
        <label>Kind <select value=${filter.kind} onChange=${change("kind")}>
          <option value="">all</option>
          ${eventKinds.map((k) => html`<option value=${k}>${kindLabel(k)}</option>`)}
        </select></label>
        <label>Person <select value=${filter.person} onChange=${change("person")}>
          <option value="">anyone</option>
          ${people.map((p) => html`<option value=${p.name}>${p.name}</option>`)}
        </select></label>
        <label>From <input type="date" value=${filter.since} onChange=${change("since")} /></label>
        <label>To <input type="date" value=${filter.until} onChange=${change("until")} /></label>
      </form>
      ${first.error && html`<p class="error">${first.error.message}</p>`}
      ${first.data && shown.length === 0 && html`<p>No visits${filter.kind || filter.person || filter.since || filter.until ? " match" : " yet"}.</p>`}
      <ul class="events">${shown.map((e) => html`<${EventRow} key=${e.id} event=${e} />`)}</ul>
      ${older.error && html`<p class="error">${older.error}</p>`}
      ${shown.length > 0 && more && html`<button onClick=${loadOlder}>Older visits</button>`}
    </section>`;
}
