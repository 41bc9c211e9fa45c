// The household's app: log in, then the door, the timeline and each visit, the visitors and the faces. Served by the daemon at /.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiError, api, rememberSession, signedOutEvent } from "./api.js";
import { html, useRoute } from "./ui.js";
import { LoginPage } from "./pages/login.js";
import { DoorPage } from "./pages/door.js";
import { TimelinePage } from "./pages/timeline.js";
import { EventPage } from "./pages/event.js";
import { FacesPage } from "./pages/faces.js";
import { PersonPage } from "./pages/person.js";
import { VisitorPage, VisitorsPage } from "./pages/visitors.js";
import { ActivityPage } from "./pages/activity.js";
import "./style.css";

function Page({ session }) {
  const [page, id, arg] = useRoute();
  if (page === "timeline") return html`<${TimelinePage} visitor=${id === "visitor" ? arg : ""} />`;
  if (page === "events" && id) return html`<${EventPage} id=${id} session=${session} />`;
  if (page === "visitors" && id) return html`<${VisitorPage} id=${id} session=${session} />`;
  if (page === "visitors") return html`<${VisitorsPage} session=${session} />`;
  if (page === "faces") return html`<${FacesPage} session=${session} />`;
  if (page === "people" && id) return html`<${PersonPage} id=${id} session=${session} />`;
  if (page === "activity" && session.role === "admin") return html`<${ActivityPage} />`;
  return html`<${DoorPage} session=${session} />`;
}

function Shell({ session, onLogout }) {
  const [page] = useRoute();
  const current = (name) => ((page ?? "") === name ? "page" : undefined);
  const logout = async () => {
    await api.post("/api/logout").catch(() => {});
    onLogout();
  };
  return html`
    <header>
      <nav>
        <a href="#/" aria-current=${current("")}>Door</a>
        <a href="#/timeline" aria-current=${current("timeline")}>Timeline</a>
        <a href="#/visitors" aria-current=${current("visitors")}>Visitors</a>
        <a href="#/faces" aria-current=${current("faces")}>Faces</a>
        ${session.role === "admin" && html`<a href="#/activity" aria-current=${current("activity")}>Activity</a>`}
      </nav>
      <span class="who">${session.name}${session.via === "session" && html` <button class="link" onClick=${logout}>Log out</button>`}</span>
    </header>
    <main><${Page} session=${session} /></main>`;
}

// Whether this browser logged in before: only then is the (HttpOnly) session cookie worth asking about,
// so a first visit shows the login form without a refused request.
const hint = "doorbell.signed_in";

function App() {
  const [session, setSession] = useState(undefined); // undefined: asking; null: logged out
  const signedIn = (s) => {
    rememberSession(s);
    localStorage.setItem(hint, "1");
    setSession({ ...s, name: s.name ?? s.user, via: s.via ?? "session" });
  };
  const signedOut = () => {
    localStorage.removeItem(hint);
    setSession(null);
  };
  useEffect(() => {
    addEventListener(signedOutEvent, signedOut);
    return () => removeEventListener(signedOutEvent, signedOut);
  }, []);
  useEffect(() => {
    if (!localStorage.getItem(hint)) return signedOut();
    api.get("/api/session").then(signedIn, (e) => {
      if (!(e instanceof ApiError) || e.status !== 401) console.warn(e.message);
      signedOut();
    });
  }, []);
  if (session === undefined) return null;
  if (session === null) return html`<${LoginPage} onLogin=${signedIn} />`;
  return html`<${Shell} session=${session} onLogout=${signedOut} />`;
}

render(html`<${App} />`, document.getElementById("app"));
