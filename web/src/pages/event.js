// One visit: the annotated snapshot (every face boxed), each face's verdict, and what became of each
// notification.
import { api } from "../api.js";
import { kindLabel, visitorName, when } from "../format.js";
import { html, usePoll } from "../ui.js";

const verdicts = { known: "known", unknown: "stranger", blacklisted: "blacklisted" };

function Faces({ faces }) {
  if (!faces.length) return html`<p>No usable face was seen.</p>`;
  return html`
    <table>
      <thead><tr><th>Face</th><th>Verdict</th><th>Distance</th><th>Votes</th></tr></thead>
      <tbody>${faces.map((f, i) => html`
        <tr><td>${i + 1}</td><td>${f.name ? `${f.name} (${verdicts[f.result] ?? f.result})` : verdicts[f.result] ?? f.result}</td>
          <td>${typeof f.distance === "number" ? f.distance.toFixed(3) : "—"}</td><td>${f.votes} of ${f.frames}</td></tr>`)}
      </tbody>
    </table>`;
}

function Deliveries({ deliveries }) {
  if (!deliveries.length) return html`<p>No notification was due.</p>`;
  return html`
    <ul class="deliveries">${deliveries.map((d) => html`
      <li><strong>${d.channel}</strong>: ${d.state}${d.reason ? ` (${d.reason})` : ""}${d.attempts > 1 ? `, ${d.attempts} attempts` : ""}
        ${d.last_error && html`<br /><span class="error">${d.last_error}</span>`}</li>`)}
    </ul>`;
}

export function EventPage({ id }) {
  const { data: event, error } = usePoll(() => api.get(`/api/events/${id}`), 5000, [id]);
  if (error) return html`<p class="error">${error.message}</p>`;
  if (!event) return html`<p>Loading…</p>`;
  return html`
    <article class="event">
      <p><a href="#/timeline">← Timeline</a></p>
      <h2>${visitorName(event)} <span class=${`kind ${event.kind}`}>${kindLabel(event.kind)}</span></h2>
      <p><time datetime=${event.time}>${when(event.time)}</time> · rung by ${event.source}</p>
      ${event.snapshot && html`<img class="snapshot" src=${`/api/events/${event.id}/snapshot.jpg`} alt="The door when it rang, faces boxed" />`}
      <h3>Faces</h3>
      <${Faces} faces=${event.faces} />
      <h3>Notifications</h3>
      <${Deliveries} deliveries=${event.deliveries} />
    </article>`;
}
