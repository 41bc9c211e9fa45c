// The face library: everyone the doorbell knows or watches for, with a face each; admins add people
// from photos.
import { useState } from "preact/hooks";
import { api } from "../api.js";
import { html, usePoll } from "../ui.js";
import { PhotoResults, addPhotos } from "./photos.js";
import { RuleEditor } from "./rules.js";

export const kindWords = { known: "Known", blacklist: "Blacklist" };

function NewPerson({ onAdded }) {
  const [name, setName] = useState("");
  const [kind, setKind] = useState("known");
  const [files, setFiles] = useState([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const [results, setResults] = useState([]);
  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setError("");
    setResults([]);
    try {
      const person = await api.post("/api/people", { name, kind });
      setResults(await addPhotos(person.id, files));
      setName("");
      onAdded();
    } catch (e) {
      setError(e.message);
    } finally {
      setBusy(false);
    }
  };
  return html`
    <form class="card new-person" onSubmit=${submit}>
      <h3>Add a person</h3>
      <label>Name <input required maxlength="64" value=${name} onInput=${(e) => setName(e.currentTarget.value)} /></label>
      <label>List <select value=${kind} onChange=${(e) => setKind(e.currentTarget.value)}>
        <option value="known">Known: named when they ring</option>
        <option value="blacklist">Blacklist: warned about</option>
      </select></label>
      <label>Photos of one face each <input type="file" accept="image/jpeg,image/png" multiple
        onChange=${(e) => setFiles([...e.currentTarget.files])} /></label>
      ${error && html`<p class="error" role="alert">${error}</p>`}
      <button type="submit" disabled=${busy}>${busy ? "Adding…" : "Add"}</button>
      <${PhotoResults} results=${results} />
    </form>`;
}

export function FacesPage({ session }) {
  const { data, error, reload } = usePoll(() => api.get("/api/people"), 10000);
  const people = data?.people ?? [];
  return html`
    <section class="faces">
      <h2>Faces</h2>
      ${error && html`<p class="error">${error.message}</p>`}
      ${data && !people.length && html`<p>Nobody is enrolled yet.</p>`}
      <ul class="people">
        ${people.map((p) => html`
          <li key=${p.id}><a href=${`#/people/${p.id}`}>
            ${p.thumbnail ? html`<img src=${p.thumbnail} alt="" />` : html`<span class="noimage"></span>`}
            <strong class="name">${p.name}</strong>
            <span class=${`kind ${p.kind === "blacklist" ? "blacklisted" : "known"}`}>${kindWords[p.kind]}</span>
            <span class="count">${p.samples} photo${p.samples === 1 ? "" : "s"}</span>
          </a></li>`)}
      </ul>
      ${session.role === "admin" && html`<${NewPerson} onAdded=${reload} />`}
      <${RuleEditor} subject="blacklisted" title="Notifications about the blacklist" admin=${session.role === "admin"} silenceable=${false} />
    </section>`;
}
