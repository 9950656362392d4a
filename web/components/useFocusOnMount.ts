import { useEffect, useRef } from "preact/hooks";

/** A ref whose element takes the keyboard focus when it appears (a confirmation's first button). */
export function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus();
    ref.current?.scrollIntoView?.({ block: "nearest" });
  }, []);
  return ref;
}
