// One person of the face library: their photos (each removable), more photos, a new name, the other
// list, or removing them completely.
import { useState } from "preact/hooks";
import { api } from "../api.js";
import { html, useChanges, usePoll } from "../ui.js";
import { AddPhotos } from "./photos.js";
import { RuleEditor } from "./rules.js";
import { kindWords } from "./faces.js";

function Rename({ person, onChanged }) {
  const [name, setName] = useState(person.name);
  const [error, setError] = useState("");
  const submit = async (event) => {
    event.preventDefault();
    try {
      await api.patch(`/api/people/${person.id}`, { name });
      setError("");
      onChanged();
    } catch (e) {
      setError(e.message);
    }
  };
  return html`
    <form class="inline" onSubmit=${submit}>
      <label>Name <input required maxlength="64" value=${name} onInput=${(e) => setName(e.currentTarget.value)} /></label>
      <button type="submit">Rename</button>
      ${error && html`<span class="error" role="alert">${error}</span>`}
    </form>`;
}

function RemovePerson({ person }) {
  const [asked, setAsked] = useState(false);
  const [error, setError] = useState("");
  const remove = async () => {
    try {
      await api.del(`/api/people/${person.id}`);
      location.hash = "#/faces";
    } catch (e) {
      setError(e.message);
    }
  };
  if (!asked) return html`<button class="danger" onClick=${() => setAsked(true)}>Remove ${person.name}…</button>`;
  return html`
    <p role="alert">Remove ${person.name} and all ${person.samples} photos? This cannot be undone.
      <button class="danger" onClick=${remove}>Yes, remove ${person.name}</button>
      <button class="link" onClick=${() => setAsked(false)}>Keep</button>
      ${error && html`<span class="error">${error}</span>`}</p>`;
}

export function PersonPage({ id, session }) {
  const people = usePoll(() => api.get("/api/people"), 10000);
  const samples = usePoll(() => api.get(`/api/people/${id}/faces`), 10000, [id]);
  const changed = () => {
    people.reload();
    samples.reload();
  };
  const [failure, attempt] = useChanges(changed);
  const person = people.data?.people.find((p) => String(p.id) === id);
  const admin = session.role === "admin";
  if (people.error || samples.error) return html`<p class="error">${(people.error ?? samples.error).message}</p>`;
  if (!people.data || !samples.data) return html`<p>Loading…</p>`;
  if (!person) return html`<p>Nobody with id ${id}. <a href="#/faces">Faces</a></p>`;
  const other = person.kind === "known" ? "blacklist" : "known";
  const move = attempt(() => api.patch(`/api/people/${person.id}`, { kind: other }));
  const removeSample = (sample) => attempt(() => api.del(`/api/people/${person.id}/faces/${sample.id}`));
  return html`
    <article class="person">
      <p><a href="#/faces">← Faces</a></p>
      <h2>${person.name} <span class=${`kind ${person.kind === "blacklist" ? "blacklisted" : "known"}`}>${kindWords[person.kind]}</span></h2>
      <ul class="samples">
        ${samples.data.samples.map((s) => html`
          <li key=${s.id}>
            <img src=${s.image} alt=${`${person.name}, photo ${s.id}`} />
            ${admin && html`<button class="link" onClick=${removeSample(s)} aria-label=${`Remove photo ${s.id}`}>Remove</button>`}
          </li>`)}
      </ul>
      ${failure && html`<p class="error" role="alert">${failure}</p>`}
      ${!samples.data.samples.length && html`<p>No photos: ${person.name} cannot be recognised until one is added.</p>`}
      ${admin && html`
        <div class="card">
          <${AddPhotos} id=${person.id} onDone=${changed} />
          <${Rename} key=${person.name} person=${person} onChanged=${changed} />
          <p><button onClick=${move}>Move to ${kindWords[other].toLowerCase()}</button></p>
          <${RemovePerson} person=${person} />
        </div>`}
      ${person.kind === "known"
        ? html`<${RuleEditor} subject=${`person-${person.id}`} title=${`Notifications about ${person.name}`} admin=${admin} />`
        : html`<p class="muted">On the blacklist: always told, on the channels <a href="#/faces">the blacklist's rule</a> names.</p>`}
    </article>`;
}
