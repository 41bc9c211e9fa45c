// The view library the pages share: Preact with htm templates (no build-time JSX), and small hooks.
import { h } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import htm from "htm";

export const html = htm.bind(h);

// Calls `load` now and every `ms` while the component is shown (less often while the tab is hidden):
// {data, error} of the newest call, and reload() to call it at once (after a change). New `deps` start
// afresh: nothing of the old ones is shown.
export function usePoll(load, ms, deps = []) {
  const [state, setState] = useState({ data: undefined, error: undefined });
  const [reloads, setReloads] = useState(0);
  const latest = useRef(load);
  latest.current = load;
  const shownFor = useRef(deps);
  useEffect(() => {
    let live = true;
    let timer;
    if (deps.some((d, i) => d !== shownFor.current[i])) {
      shownFor.current = deps;
      setState({ data: undefined, error: undefined });
    }
    const tick = async () => {
      try {
        const data = await latest.current();
        if (live) setState({ data, error: undefined });
      } catch (error) {
        if (live) setState((s) => ({ data: s.data, error }));
      }
      if (live) timer = setTimeout(tick, document.hidden ? ms * 5 : ms);
    };
    tick();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [...deps, reloads]);
  return { ...state, reload: () => setReloads((n) => n + 1) };
}

// Changes made from a page: attempt(change) gives a handler that runs the change, then `done` (a reload);
// its failure is shown (the returned text), not thrown.
export function useChanges(done) {
  const [failure, setFailure] = useState("");
  const attempt = (change) => async () => {
    try {
      await change();
      setFailure("");
      done();
    } catch (e) {
      setFailure(e.message);
    }
  };
  return [failure, attempt, setFailure];
}

// The page named by the address's #fragment: "#/timeline" → ["timeline"], "#/events/7" → ["events", "7"].
export function useRoute() {
  const parse = () => location.hash.replace(/^#\/?/, "").split("/").filter(Boolean);
  const [route, setRoute] = useState(parse);
  useEffect(() => {
    const changed = () => setRoute(parse());
    addEventListener("hashchange", changed);
    return () => removeEventListener("hashchange", changed);
  }, []);
  return route;
}
