// The timeline: every ring, newest first, with its snapshot; filtered by kind, person, dates and — when
// several doors share the records — door; paged by id so an older page costs the same with 100,000 events.
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../api.js";
import { eventKinds, kindLabel, localMidnight, visitorName, when } from "../format.js";
import { html, usePoll } from "../ui.js";

const pageSize = 20;

function query(filter, before) {
  const q = new URLSearchParams({ limit: String(pageSize) });
  if (filter.kind) q.set("kind", filter.kind);
  if (filter.person) q.set("person", filter.person);
  if (filter.visitor) q.set("visitor", filter.visitor);
  if (filter.door) q.set("door", filter.door);
  if (filter.since) q.set("since", localMidnight(filter.since));
  if (filter.until) q.set("until", localMidnight(filter.until, 1));
  if (before) q.set("before", String(before));
  return `/api/events?${q}`;
}

const doorName = (door) => door.name || door.id;

// `doors`: when several share the records, each row says which door it was.
function EventRow({ event, doors }) {
  const door = doors.length > 1 && doors.find((d) => d.id === event.door);
  return html`
    <li>
      <a href=${`#/events/${event.id}`}>
        ${event.snapshot ? html`<img loading="lazy" src=${`/api/events/${event.id}/snapshot.jpg`} alt="" />` : html`<span class="noimage"></span>`}
        <span class="what"><strong class="name">${visitorName(event)}</strong>
          <span class=${`kind ${event.kind}`}>${kindLabel(event.kind)}</span>
          ${door && html`<span class="door">${doorName(door)}</span>`}</span>
        <time datetime=${event.time}>${when(event.time)}</time>
      </a>
    </li>`;
}

// `visitor`: only the visits of that visitor cluster (from its page).
export function TimelinePage({ visitor = "" }) {
  const [filter, setFilter] = useState({ kind: "", person: "", since: "", until: "", visitor, door: "" });
  useEffect(() => setFilter((f) => ({ ...f, visitor })), [visitor]);
  const key = JSON.stringify(filter);
  const current = useRef(key);
  current.current = key;
  // The events shown: the newest page, followed by older pages once asked for.
  const [list, setList] = useState({ events: [], more: false, loaded: false });
  const [error, setError] = useState("");
  const [loading, setLoading] = useState(false);
  const people = usePoll(() => api.get("/api/people"), 60000).data?.people ?? [];
  const doors = usePoll(() => api.get("/api/doors"), 60000).data?.doors ?? [];

  // New rings join at the top; the rest of what is shown stays (nothing slides between pages).
  useEffect(() => {
    let live = true;
    let timer;
    setList({ events: [], more: false, loaded: false });
    const tick = async () => {
      try {
        const page = await api.get(query(filter));
        if (!live) return;
        setList((l) => {
          if (l.events.length <= pageSize) return { events: page.events, more: page.events.length === pageSize, loaded: true };
          const top = l.events[0].id;
          return { ...l, events: [...page.events.filter((e) => e.id > top), ...l.events] };
        });
        setError("");
      } catch (e) {
        if (live) setError(e.message);
      }
      if (live) timer = setTimeout(tick, document.hidden ? 7500 : 1500);
    };
    tick();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key]);

  const change = (field) => (e) => setFilter({ ...filter, [field]: e.currentTarget.value });
  const loadOlder = async () => {
    const asked = key;
    const oldest = list.events[list.events.length - 1].id;
    setLoading(true);
    try {
      const page = await api.get(query(filter, oldest));
      if (current.current !== asked) return; // the filter changed meanwhile
      setList((l) => ({ ...l, events: [...l.events, ...page.events.filter((e) => e.id < oldest)],
                        more: page.events.length === pageSize }));
    } catch (e) {
      setError(e.message);
    } finally {
      setLoading(false);
    }
  };
  const shown = list.events;
  const filtered = filter.kind || filter.person || filter.since || filter.until || filter.visitor || filter.door;

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
        ${doors.length > 1 && html`<label>Door <select value=${filter.door} onChange=${change("door")}>
          <option value="">every door</option>
          ${doors.map((d) => html`<option value=${d.id}>${doorName(d)}</option>`)}
        </select></label>`}
        <label>From <input type="date" value=${filter.since} onChange=${change("since")} /></label>
        <label>To <input type="date" value=${filter.until} onChange=${change("until")} /></label>
        ${filter.visitor && html`<p class="chip">Visits of <a href=${`#/visitors/${filter.visitor}`}>Visitor ${filter.visitor}</a>
          <a href="#/timeline" aria-label="All visitors">×</a></p>`}
      </form>
      ${error && html`<p class="error">${error}</p>`}
      ${list.loaded && shown.length === 0 && html`<p>No visits${filtered ? " match" : " yet"}.</p>`}
      <ul class="events">${shown.map((e) => html`<${EventRow} key=${e.id} event=${e} doors=${doors} />`)}</ul>
      ${shown.length > 0 && list.more && html`<button onClick=${loadOlder} disabled=${loading}>${loading ? "Loading…" : "Older visits"}</button>`}
    </section>`;
}
