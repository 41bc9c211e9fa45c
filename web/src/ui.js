// The view library the pages share: Preact with htm templates (no build-time JSX), and small hooks.
import { h } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import htm from "htm";

export const html = htm.bind(h);

// Calls `load` now and every `ms` while the component is shown; {data, error} of the newest call.
export function usePoll(load, ms, deps = []) {
  const [state, setState] = useState({ data: undefined, error: undefined });
  const latest = useRef(load);
  latest.current = load;
  useEffect(() => {
    let live = true;
    let timer;
    const tick = async () => {
      try {
        const data = await latest.current();
        if (live) setState({ data, error: undefined });
      } catch (error) {
        if (live) setState((s) => ({ data: s.data, error }));
      }
      if (live) timer = setTimeout(tick, ms);
    };
    tick();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, deps);
  return state;
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
