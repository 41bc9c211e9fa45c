// The door: the live camera, the last visitor, whether each part of the doorbell works, and (admins) a
// ring button.
import { useState } from "preact/hooks";
import { api } from "../api.js";
import { readiness, visitorName, when } from "../format.js";
import { html, usePoll } from "../ui.js";

// /api/ready answers 503 with the same body when something is not ready: both are news here.
async function ready() {
  const response = await fetch("/api/ready", { credentials: "same-origin" });
  return response.json();
}

// What the camera is doing, in the daemon's words, and what it negotiated (GET /api/camera).
function CameraState({ camera }) {
  if (!camera) return null;
  const source = camera.source ? html` <span class="source">${camera.source}</span>` : "";
  return html`<p class=${camera.state === "delivering" ? "camera-state" : "camera-state warning"}>${camera.words}${source}</p>`;
}

function LiveView() {
  const [down, setDown] = useState(false);
  const camera = usePoll(() => api.get("/api/camera"), 5000).data;
  return html`
    <section class="card live">
      <h2>Live</h2>
      ${down
        ? html`<p class="warning">The camera is not sending pictures. <button onClick=${() => setDown(false)}>Try again</button></p>`
        : html`<img src="/api/stream.mjpg" alt="Live view of the door" onError=${() => setDown(true)} />`}
      <${CameraState} camera=${camera} />
    </section>`;
}

function LastVisitor() {
  const { data, error } = usePoll(() => api.get("/api/events?limit=1"), 2000);
  const last = data?.events?.[0];
  return html`
    <section class="card" aria-live="polite">
      <h2>Last visitor</h2>
      ${error && html`<p class="error">${error.message}</p>`}
      ${data && !last && html`<p>Nobody has rung yet.</p>`}
      ${last && html`
        <a class="visitor" href=${`#/events/${last.id}`}>
          ${last.snapshot && html`<img src=${`/api/events/${last.id}/snapshot.jpg`} alt="" />`}
          <span><strong class="name">${visitorName(last)}</strong><br /><time datetime=${last.time}>${when(last.time)}</time></span>
        </a>`}
    </section>`;
}

function Status() {
  const { data, error } = usePoll(ready, 5000);
  return html`
    <section class="card">
      <h2>Status</h2>
      ${error && html`<p class="error">The doorbell does not answer: ${error.message}</p>`}
      ${data && html`
        <ul class="status">
          ${readiness(data.components).map((part) => html`
            <li class=${part.ok ? "ok" : "bad"}><span>${part.title}</span> <span>${part.words}</span></li>`)}
        </ul>`}
    </section>`;
}

function RingButton() {
  const [said, setSaid] = useState("");
  const ring = async () => {
    try {
      const answer = await api.post("/api/ring");
      setSaid(answer.outcome === "coalesced" ? "It is already ringing." : "Ringing: the visit appears on the timeline.");
    } catch (e) {
      setSaid(e.message);
    }
  };
  return html`<p><button onClick=${ring}>Ring the doorbell</button> <span role="status">${said}</span></p>`;
}

export function DoorPage({ session }) {
  return html`
    <div class="door">
      <${LiveView} />
      <div>
        <${LastVisitor} />
        ${session.role === "admin" && html`<${RingButton} />`}
        <${Status} />
      </div>
    </div>`;
}
