// One visit: the annotated snapshot (every face boxed), each face's verdict, and what became of each
// notification.
import { useState } from "preact/hooks";
import { api } from "../api.js";
import { faceName, kindLabel, visitorName, when } from "../format.js";
import { html, usePoll } from "../ui.js";

const verdicts = { known: "known", unknown: "stranger", blacklisted: "blacklisted" };

// "This is …": the face becomes a sample of that person (created if needed) and the visit is relabelled.
function ThisIs({ seen, onDone }) {
  const [name, setName] = useState("");
  const [error, setError] = useState("");
  const submit = async (event) => {
    event.preventDefault();
    try {
      await api.post(`/api/faces/${seen.id}/identity`, { name });
      setError("");
      setName("");
      onDone();
    } catch (e) {
      setError(e.message);
    }
  };
  return html`
    <form class="inline compact" onSubmit=${submit}>
      <label>This is <input required maxlength="64" value=${name} aria-label=${`Name of face ${seen.position + 1}`}
        onInput=${(e) => setName(e.currentTarget.value)} /></label>
      <button type="submit">Save</button>
      ${error && html`<span class="error" role="alert">${error}</span>`}
    </form>`;
}

function Face({ face, index, seen, admin, onChanged }) {
  const [error, setError] = useState("");
  // "This is not Dana": never again named Dana for this face; it joins the visitors.
  const notThem = async () => {
    try {
      await api.post(`/api/faces/${seen.id}/identity`, { not: seen.person_id });
      setError("");
      onChanged();
    } catch (e) {
      setError(e.message);
    }
  };
  const verdict = verdicts[face.result] ?? face.result;
  return html`
    <li class="face">
      ${seen ? html`<img src=${seen.image} alt=${`Face ${index + 1}`} />` : html`<span class="noimage"></span>`}
      <div>
        <strong>${face.visitor ? html`<a href=${`#/visitors/${face.visitor.id}`}>${faceName(face)}</a>` : faceName(face)}</strong>
        ${face.name && html` <span class=${`kind ${face.result}`}>${verdict}</span>`}
        ${face.visitor?.ignored && html` <span class="kind">ignored</span>`}
        <br /><span class="count">distance ${typeof face.distance === "number" ? face.distance.toFixed(3) : "—"},
          ${face.votes ?? "—"} of ${face.frames ?? "—"} frames${face.corrected ? ", corrected" : ""}</span>
        ${admin && seen && html`
          ${seen.person_id && html`<p><button class="link" onClick=${notThem}>This is not ${face.name}</button></p>`}
          <${ThisIs} seen=${seen} onDone=${onChanged} />`}
        ${error && html`<p class="error" role="alert">${error}</p>`}
      </div>
    </li>`;
}

function Faces({ event, admin, onChanged }) {
  const seen = usePoll(() => api.get(`/api/events/${event.id}/faces`), 10000, [event.id]);
  if (!event.faces.length) return html`<p>No usable face was seen.</p>`;
  const byPosition = new Map((seen.data?.faces ?? []).map((f) => [f.position, f]));
  const changed = () => {
    seen.reload();
    onChanged();
  };
  return html`
    <ul class="faces-seen">${event.faces.map((f, i) => html`
      <${Face} key=${i} face=${f} index=${i} seen=${byPosition.get(i)} admin=${admin} onChanged=${changed} />`)}
    </ul>`;
}

function Deliveries({ deliveries }) {
  if (!deliveries.length) return html`<p>No notification was due.</p>`;
  return html`
    <ul class="deliveries">${deliveries.map((d) => html`
      <li><strong>${d.channel}</strong>: ${d.state}${d.reason ? ` (${d.reason})` : ""}${d.attempts > 1 ? `, ${d.attempts} attempts` : ""}
        ${d.last_error && html`<br /><span class="error">${d.last_error}</span>`}</li>`)}
    </ul>`;
}

export function EventPage({ id, session }) {
  const { data: event, error, reload } = usePoll(() => api.get(`/api/events/${id}`), 5000, [id]);
  if (error) return html`<p class="error">${error.message}</p>`;
  if (!event) return html`<p>Loading…</p>`;
  return html`
    <article class="event">
      <p><a href="#/timeline">← Timeline</a></p>
      <h2>${visitorName(event)} <span class=${`kind ${event.kind}`}>${kindLabel(event.kind)}</span></h2>
      <p><time datetime=${event.time}>${when(event.time)}</time> · rung by ${event.source}</p>
      ${event.snapshot && html`<img class="snapshot" src=${`/api/events/${event.id}/snapshot.jpg`} alt="The door when it rang, faces boxed" />`}
      <h3>Faces</h3>
      <${Faces} event=${event} admin=${session.role === "admin"} onChanged=${reload} />
      <h3>Notifications</h3>
      <${Deliveries} deliveries=${event.deliveries} />
    </article>`;
}
